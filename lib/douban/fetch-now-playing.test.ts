import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeGb18030 } from '@/scripts/fake-douban/encode-gb18030';

// A port of this suite's own range: other suites run beside it on the same machine.
const PORT = 4540;
const BASE = `http://127.0.0.1:${PORT}`;
const TIMEOUT_MS = 2_000;
const FIVE_MB = 5 * 1024 * 1024;

// `env` is read once, at import: set Douban's address first, then import what reads it.
vi.stubEnv('DOUBAN_BASE_URL', BASE);
vi.stubEnv('DOUBAN_TIMEOUT_MS', String(TIMEOUT_MS));
const { fetchNowPlaying } = await import('./fetch-now-playing');
const { parseNowPlaying } = await import('./parse-now-playing');
const { UpstreamError } = await import('./upstream-error');

const recorded = readFileSync(
  new URL('../../fixtures/douban/nowplaying-shanghai.html', import.meta.url),
  'utf8',
);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handle: Handler;
let requests: string[] = [];
const server = createServer((req, res) => {
  requests.push(req.url ?? '');
  // A client that gives up mid-body resets the socket; that is the point of some tests, not a failure.
  res.on('error', () => {});
  handle(req, res);
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  vi.unstubAllEnvs();
});
beforeEach(() => {
  requests = [];
});

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) return error.reason;
    throw error;
  }
  throw new Error('fetchNowPlaying did not throw');
}

const titles = (page: { nowPlaying: Array<{ title: string }> }) =>
  page.nowPlaying.map((movie) => movie.title);

describe('fetchNowPlaying', () => {
  it('fetches and parses the city page', async () => {
    handle = (_, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(recorded);
    const page = await fetchNowPlaying({ city: 'shanghai' });
    expect(page.nowPlaying).toHaveLength(85);
    expect(requests).toEqual(['/cinema/nowplaying/shanghai/']);
  });

  it('refuses a body declared over 5 MB without reading it', async () => {
    handle = (_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': FIVE_MB + 1 });
      // Sends a little and then nothing: a client that waited for the rest would time out instead.
      res.write('<html>');
    };
    expect(await reasonOf(fetchNowPlaying({ city: 'shanghai' }))).toBe('too-large');
  });

  it('stops reading a chunked body once it passes 5 MB', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    handle = (_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      // 6 MB in all, without Content-Length (chunked).
      for (let sent = 0; sent < 6 * 1024 * 1024; sent += chunk.length) res.write(chunk);
      res.end();
    };
    expect(await reasonOf(fetchNowPlaying({ city: 'shanghai' }))).toBe('too-large');
  });

  it.each([
    ['https://sec.douban.com/b?r=https%3A%2F%2Fmovie.douban.com%2F'],
    [`${BASE}/cinema/nowplaying/beijing/`],
  ])('treats a redirect to %s as a failed poll and does not follow it', async (location) => {
    handle = (req, res) => {
      if (req.url === '/cinema/nowplaying/shanghai/') res.writeHead(302, { Location: location }).end();
      else res.writeHead(200, { 'Content-Type': 'text/html' }).end(recorded);
    };
    expect(await reasonOf(fetchNowPlaying({ city: 'shanghai' }))).toBe('redirect');
    expect(requests).toEqual(['/cinema/nowplaying/shanghai/']);
  });

  it('decodes a page served as GB18030 into the same Chinese titles', async () => {
    const bytes = encodeGb18030(recorded);
    handle = (_, res) =>
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=GB18030', 'Content-Length': bytes.length })
        .end(bytes);
    const page = await fetchNowPlaying({ city: 'shanghai' });
    expect(titles(page)).toEqual(titles(parseNowPlaying(recorded)));
    expect(titles(page)[0]).toBe('好东西');
  });

  it('refuses a page in a charset it cannot decode', async () => {
    handle = (_, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=x-klingon' }).end(recorded);
    expect(await reasonOf(fetchNowPlaying({ city: 'shanghai' }))).toBe('unknown-charset');
  });

  it('gives up after DOUBAN_TIMEOUT_MS, whether the headers or the body stall', async () => {
    handle = () => {}; // never answers
    expect(await reasonOf(fetchNowPlaying({ city: 'shanghai' }))).toBe('timeout');
    handle = (_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.write(recorded.slice(0, 1000)); // and never the rest
    };
    expect(await reasonOf(fetchNowPlaying({ city: 'shanghai' }))).toBe('timeout');
  }, 20_000);

  it("reports Douban's status code", async () => {
    handle = (_, res) => res.writeHead(418, { 'Content-Type': 'text/html' }).end('<html>418</html>');
    expect(await reasonOf(fetchNowPlaying({ city: 'shanghai' }))).toBe('http-418');
  });

  it('reports a closed port as a network failure', async () => {
    // Nothing listens on the next port of the range while this runs (the range is this suite's).
    vi.stubEnv('DOUBAN_BASE_URL', `http://127.0.0.1:${PORT + 1}`);
    vi.resetModules();
    const fresh = await import('./fetch-now-playing');
    const { UpstreamError: FreshError } = await import('./upstream-error');
    const error = await fresh.fetchNowPlaying({ city: 'shanghai' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FreshError);
    expect((error as InstanceType<typeof FreshError>).reason).toBe('network');
  });
});
