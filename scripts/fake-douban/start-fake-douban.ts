import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerFailingPoster, FAILING_POSTER_PATH } from './answer-failing-poster';
import { handleControlRequest } from './control-plane';
import { startDrift } from './drift';
import { encodeGb18030 } from './encode-gb18030';
import { createPageModel, type PageModel } from './page-model';
import { renderPosterPng } from './poster-image';
import type { FakeDouban, FakeDoubanOptions, FakeMode, PageRequest } from './types';
import {
  readActors,
  readCity,
  readDelay,
  readId,
  readMode,
  readScore,
  readTitle,
  readVotes,
} from './validate-input';

export type { FakeDouban, FakeDoubanOptions, FakeMode, PageRequest } from './types';

const DEFAULT_FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/douban/', import.meta.url));
const PAGE_PATH = /^\/cinema\/nowplaying\/([a-z0-9]{1,40})\/?$/;
const POSTER_PATH = /^\/view\/photo\/[a-z_]+\/public\/(p\d+)\.(jpg|webp)$/;
const HTML = 'text/html; charset=utf-8';
/** Where Douban sends a client it has flagged (the query names the page that was asked for). */
const SEC_URL = 'https://sec.douban.com/b?r=https%3A%2F%2Fmovie.douban.com%2Fcinema%2Fnowplaying%2F';

/**
 * Starts a fake `movie.douban.com` on loopback that serves the recorded now-showing pages
 * (`GET /cinema/nowplaying/<city>/`; shangrao gets its 2018 page, every other city the shanghai
 * one), changes them on command, misbehaves on command (`setMode`), and takes the same commands
 * over HTTP under `/__fake/` (see `control-plane.ts`). Defaults: host 127.0.0.1, any free port.
 */
export async function startFakeDouban(options: FakeDoubanOptions = {}): Promise<FakeDouban> {
  const { host = '127.0.0.1', port = 0, driftMs } = options;
  const fixturesDir = options.fixturesDir ?? DEFAULT_FIXTURES_DIR;
  const [shanghai, shangrao, interstitial] = await Promise.all(
    ['nowplaying-shanghai.html', 'nowplaying-shangrao-2018.html', 'login-redirect-interstitial.html'].map(
      (name) => readFile(path.join(fixturesDir, name), 'utf8'),
    ),
  );
  const recordedPageOf = (city: string) => (city === 'shangrao' ? shangrao : shanghai) as string;

  const models = new Map<string, PageModel>();
  const modelOf = (city: string): PageModel => {
    let model = models.get(city);
    if (!model) {
      model = createPageModel(recordedPageOf(city));
      models.set(city, model);
    }
    return model;
  };

  let defaultMode: FakeMode = 'ok';
  const cityModes = new Map<string, FakeMode>();
  const modeOf = (city: string): FakeMode => cityModes.get(city) ?? defaultMode;
  let defaultDelay = 0;
  const cityDelays = new Map<string, number>();
  const delayOf = (city: string): number => cityDelays.get(city) ?? defaultDelay;
  // Answers waiting out their delay, cleared when the server closes.
  const delayed = new Set<ReturnType<typeof setTimeout>>();
  let log: PageRequest[] = [];
  let posterLog: string[] = [];
  // Requests answered with silence in 'timeout' mode, until the mode changes or the server closes.
  const held = new Set<{ city: string; res: ServerResponse; request: PageRequest }>();

  const pageResponse = (
    city: string,
    mode: Exclude<FakeMode, 'timeout'>,
  ): { status: number; body: string | Buffer; headers?: Record<string, string> } => {
    switch (mode) {
      case 'ok':
        return { status: 200, body: modelOf(city).render() };
      case 'http-403':
      case 'http-418':
      case 'http-500': {
        const status = Number(mode.slice('http-'.length));
        return { status, body: `<html><body><h1>${status}</h1></body></html>\n` };
      }
      case 'antibot-200':
        return { status: 200, body: interstitial as string };
      case 'antibot-403':
        return { status: 403, body: interstitial as string };
      case 'truncated': {
        const page = modelOf(city).render();
        return { status: 200, body: page.slice(0, Math.floor(page.length / 2)) };
      }
      case 'redirect':
        return { status: 302, body: '', headers: { Location: `${SEC_URL}${city}%2F` } };
      case 'gb18030':
        return {
          status: 200,
          body: encodeGb18030(modelOf(city).render()),
          headers: { 'Content-Type': 'text/html; charset=GB18030' },
        };
    }
  };
  const answerPage = (city: string, res: ServerResponse, request: PageRequest): void => {
    const mode = modeOf(city);
    if (mode !== 'timeout') {
      const { status, body, headers } = pageResponse(city, mode);
      send(res, status, HTML, body, headers);
      request.answeredAt = Date.now();
      return;
    }
    const entry = { city, res, request };
    held.add(entry);
    res.on('close', () => held.delete(entry));
  };
  const releaseHeld = (): void => {
    for (const entry of held) {
      if (modeOf(entry.city) === 'timeout') continue;
      held.delete(entry);
      answerPage(entry.city, entry.res, entry.request);
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake-douban');
    if (url.pathname.startsWith('/__fake/')) {
      void handleControlRequest({ fake, req, res, url });
      return;
    }
    const poster = POSTER_PATH.exec(url.pathname)?.[1];
    const failing = FAILING_POSTER_PATH.exec(url.pathname)?.[1];
    if (poster !== undefined || failing !== undefined) {
      posterLog.push(url.pathname);
      // Like imgN.doubanio.com: no Douban Referer, no image.
      if (!req.headers.referer?.startsWith('https://movie.douban.com/')) {
        send(res, 403, 'text/plain; charset=utf-8', 'hotlinking refused\n');
        return;
      }
      if (poster === undefined) {
        answerFailingPoster({ kind: String(failing), res, origin: fake.url });
        return;
      }
      const png = renderPosterPng(poster);
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
      res.end(png);
      return;
    }
    const city = PAGE_PATH.exec(url.pathname)?.[1];
    if (city === undefined) {
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      return;
    }
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    const request: PageRequest = { city, at: Date.now(), answeredAt: null, headers: req.headers };
    log.push(request);
    const delay = delayOf(city);
    if (delay === 0) {
      answerPage(city, res, request);
      return;
    }
    // The page as it is when the answer leaves, as a slow server would send it.
    const timer = setTimeout(() => {
      delayed.delete(timer);
      if (!res.destroyed) answerPage(city, res, request);
    }, delay);
    delayed.add(timer);
  };

  // Idle connections outlive the clients' own keep-alive (undici's 4 s, Playwright's agent): with
  // Node's default 5 s the fake could close a socket just as a client reused it (ECONNRESET, seen once
  // in CI on a POST /__fake/score). The client then always closes first.
  const server = createServer({ keepAliveTimeout: 60_000 }, onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const stopDrift = driftMs === undefined ? () => {} : startDrift({ intervalMs: driftMs, modelOf });
  let closing: Promise<void> | undefined;

  const fake: FakeDouban = {
    url: `http://${hostInUrl}:${address.port}`,
    setScore: (input) =>
      modelOf(readCity(input.city)).setScore({
        id: readId(input.id),
        score: readScore(input.score),
        votes: readVotes(input.votes),
      }),
    addMovie: (input) =>
      modelOf(readCity(input.city)).addMovie({
        id: readId(input.id),
        title: readTitle(input.title),
        score: readScore(input.score),
        votes: readVotes(input.votes),
        actors: readActors(input.actors),
      }),
    listAlsoUpcoming: (input) => modelOf(readCity(input.city)).listAlsoUpcoming(readId(input.id)),
    removeMovie: (input) => modelOf(readCity(input.city)).removeMovie(readId(input.id)),
    setMode({ city, mode }) {
      if (city === undefined) {
        defaultMode = readMode(mode);
        cityModes.clear();
      } else {
        cityModes.set(readCity(city), readMode(mode));
      }
      releaseHeld();
    },
    setDelay({ city, ms }) {
      if (city === undefined) {
        defaultDelay = readDelay(ms);
        cityDelays.clear();
      } else {
        cityDelays.set(readCity(city), readDelay(ms));
      }
    },
    requests: (city) => (city === undefined ? log.length : log.filter((entry) => entry.city === city).length),
    requestLog: () => [...log],
    posterRequests: () => [...posterLog],
    reset() {
      models.clear();
      cityModes.clear();
      defaultMode = 'ok';
      cityDelays.clear();
      defaultDelay = 0;
      log = [];
      posterLog = [];
      releaseHeld();
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        stopDrift();
        for (const timer of delayed) clearTimeout(timer);
        delayed.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Held 'timeout' requests and idle keep-alive sockets would otherwise keep the process alive.
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return fake;
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}
