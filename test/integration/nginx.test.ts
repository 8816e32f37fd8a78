import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import path from 'node:path';
import { type Browser, chromium } from '@playwright/test';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@/scripts/chromium-launch';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { clusterEnv } from './cluster-env';
import {
  openReconnectingClient,
  type ReceivedEvent,
  type ReconnectingClient,
} from './open-reconnecting-client';
import { type RawStream, readRawStream } from './read-raw-stream';
import { type App, startApp, withTimeout } from './start-app';
import { type Nginx, RECIPE_PATH, startNginx } from './start-nginx';
import { type RedisServer, startRedis } from './start-redis';
import { eventually } from './wait-for';

// Deployed as the README says: Debian's nginx running deploy/nginx.conf (rendered by start-nginx.ts:
// only ports, paths and a shorter worker_shutdown_timeout change) in front of two `npm start`
// instances on one private redis-server, with TRUST_PROXY=1. Viewers connect from addresses of their
// own (127.0.0.x) so that the per-IP limit sees what nginx's X-Forwarded-For says. Each test has a
// city of its own; the browser's test, which stops both instances, comes last.
const PORTS = { nginx: 4900, gzipNginx: 4901, a: 4902, b: 4903, redis: 4904, fake: 4905 };
const PREFIX = 'nginx-test:';
const FIRST_ID = '36154853'; // 好东西, first movie of the recorded Shanghai page
const METRICS_TOKEN = 'nginx-test-token';
const VIEWERS = 50;
const WORKER_SHUTDOWN_S = 5;

type Name = 'a' | 'b';
let fake: FakeDouban;
let redis: RedisServer;
let nginx: Nginx;
const apps: Record<Name, App | undefined> = { a: undefined, b: undefined };
const clients: ReconnectingClient[] = [];
const raws: RawStream[] = [];

const env = () => ({
  ...clusterEnv({ doubanUrl: fake.url, redisUrl: redis.url, prefix: PREFIX, intervalMs: 500 }),
  // nginx appends the viewer's address to X-Forwarded-For: one trusted hop.
  TRUST_PROXY: '1',
  // /api/health gives its detail (`streams`) only to the token's bearer.
  METRICS_TOKEN,
  SHUTDOWN_TIMEOUT_MS: '5000',
});

const start = (name: Name) => startApp({ port: PORTS[name], env: env() });

beforeAll(async () => {
  fake = await startFakeDouban({ port: PORTS.fake });
  redis = await startRedis({ port: PORTS.redis });
  // Settled each, so that afterAll stops what started when something else did not.
  const [a, b] = await Promise.allSettled([start('a'), start('b')]);
  if (a.status === 'fulfilled') apps.a = a.value;
  if (b.status === 'fulfilled') apps.b = b.value;
  for (const result of [a, b]) if (result.status === 'rejected') throw result.reason;
  // Once both instances are up, as an operator would, so nginx's first requests find them.
  nginx = await startNginx({
    port: PORTS.nginx,
    upstreams: [PORTS.a, PORTS.b],
    workerShutdownTimeout: `${WORKER_SHUTDOWN_S}s`,
  });
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const raw of raws) raw.close();
  await Promise.allSettled([apps.a?.stop(), apps.b?.stop(), nginx?.stop()]);
  await Promise.allSettled([redis?.stop(), fake?.close()]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    for (const [name, app] of Object.entries(apps)) {
      if (app) console.error(`--- instance ${name}, last output:\n${app.output().slice(-3000)}`);
    }
    console.error(`--- nginx, last output:\n${nginx?.output().slice(-4000)}`);
    console.error(`--- nginx, last requests:\n${nginx?.accessLog().slice(-30).join('\n')}`);
  });
});

function app(name: Name): App {
  const found = apps[name];
  if (!found) throw new Error(`instance ${name} is not running`);
  return found;
}

const streamPath = (city: string) => `/api/movies/stream?city=${city}`;

/** `count` viewers of `city` through nginx, from 127.0.0.`first`, 127.0.0.`first + 1`… */
function openViewers({ city, count, first }: { city: string; count: number; first: number }) {
  return Array.from({ length: count }, (_, n) => {
    const client = openReconnectingClient(`${nginx.url}${streamPath(city)}`, {
      localAddress: `127.0.0.${first + n}`,
    });
    clients.push(client);
    return client;
  });
}

/** A viewer straight on instance b, whose events are the truth the others are compared with. */
async function openWatcher(city: string): Promise<ReconnectingClient> {
  const watcher = openReconnectingClient(`${app('b').url}${streamPath(city)}`);
  clients.push(watcher);
  await watcher.until(`the watcher of ${city} gets a board from Douban`, () => {
    const snapshot = watcher.events.findLast((e) => e.type === 'snapshot');
    return snapshot !== undefined && (JSON.parse(snapshot.data) as BoardSnapshot).source === 'douban';
  });
  return watcher;
}

const updates = (client: ReconnectingClient, after: number): ReceivedEvent[] =>
  client.events.filter((e) => e.type === 'update' && Number(e.id) > after);

const lastSnapshotVersion = (client: ReconnectingClient): number =>
  Number(client.events.findLast((e) => e.type === 'snapshot')?.id);

/** Makes one change on the fake Douban and resolves with its version, once the watcher has it. */
async function change(watcher: ReconnectingClient, score: number, city: string): Promise<number> {
  const before = updates(watcher, 0).length;
  fake.setScore({ city, id: FIRST_ID, score });
  await watcher.until(`the watcher gets score ${score}`, () => updates(watcher, 0).length > before);
  return Number(watcher.lastEventId);
}

async function allReach(viewers: ReconnectingClient[], version: number, what: string): Promise<void> {
  await Promise.all(
    viewers.map((client, n) =>
      client.until(
        `viewer ${n} reaches version ${version} (${what})`,
        () => Number(client.lastEventId) >= version,
      ),
    ),
  );
}

/**
 * Every viewer was served every time (no error status, no refused connection: nginx is always up),
 * got no snapshot after its first connection, and has exactly the updates the watcher has.
 */
function expectGapless(viewers: ReconnectingClient[], watcher: ReconnectingClient): void {
  for (const client of viewers) {
    expect(client.failed).toBeNull();
    expect(client.attempts.map((attempt) => attempt.outcome).filter((outcome) => outcome !== 'open')).toEqual(
      [],
    );
    expect(client.events.filter((e) => e.connection > 1 && e.type === 'snapshot')).toEqual([]);
    const from = lastSnapshotVersion(client);
    expect(lastSnapshotVersion(watcher)).toBeLessThanOrEqual(from);
    expect(updates(client, from).map((e) => [e.id, e.data])).toEqual(
      updates(watcher, from).map((e) => [e.id, e.data]),
    );
  }
}

async function health(name: Name): Promise<{ streams: number; clients: number }> {
  const response = await fetch(`${app(name).url}/api/health`, {
    headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
  });
  return (await response.json()) as { streams: number; clients: number };
}

/** How many streams of `city` instance `name` serves, by its own /api/health. */
async function cityStreams(name: Name, city: string): Promise<number> {
  const response = await fetch(`${app(name).url}/api/health`, {
    headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const { cities } = (await response.json()) as { cities: Array<{ city: string; streams: number }> };
  return cities.find((entry) => entry.city === city)?.streams ?? 0;
}

interface HeldStream {
  status: number;
  retryAfter: string | undefined;
  /** The body of a refusal (a stream's is never read). */
  text(): Promise<string>;
  close(): void;
}

/** A stream asked for from `localAddress` and held open when served; a refusal's body kept to read. */
function holdStream(url: string, localAddress: string): Promise<HeldStream> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, localAddress }, (response) => {
      const body: Buffer[] = [];
      if (response.statusCode !== 200) response.on('data', (chunk: Buffer) => body.push(chunk));
      const ended = new Promise<void>((done) => response.on('end', done));
      response.on('error', () => {});
      resolve({
        status: response.statusCode ?? 0,
        retryAfter: response.headers['retry-after'],
        text: async () => {
          await ended;
          return Buffer.concat(body).toString('utf8');
        },
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}

/** The first event of `stream` that gives FIRST_ID `score`, once readable. */
async function untilScore(stream: RawStream, score: number): Promise<void> {
  await stream.until(`an update with score ${score}`, () =>
    stream.events.some(
      (e) =>
        e.type === 'update' &&
        (JSON.parse(e.data) as BoardUpdate).updated.some((m) => m.id === FIRST_ID && m.score === score),
    ),
  );
}

async function openRaw(url: string, options: { gzip?: boolean } = {}): Promise<RawStream> {
  const stream = await readRawStream(url, options);
  raws.push(stream);
  expect(stream.status).toBe(200);
  expect(String(stream.headers['content-type'])).toMatch(/^text\/event-stream/);
  await stream.until('a board from Douban', () =>
    stream.events.some(
      (e) => e.type === 'snapshot' && (JSON.parse(e.data) as BoardSnapshot).source === 'douban',
    ),
  );
  return stream;
}

/** The status of a stream request sent with `headers` (from `localAddress`), from its answer's head. */
function streamStatus(url: string, headers: Record<string, string>, localAddress?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers, agent: false, localAddress }, (response) => {
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on('error', reject);
  });
}

describe('behind nginx (deploy/nginx.conf)', () => {
  it('keeps proxy_read_timeout above the default SSE_HEARTBEAT_MS', () => {
    const recipe = readFileSync(RECIPE_PATH, 'utf8');
    const timeout = /^\s*proxy_read_timeout (\d+)s;/m.exec(recipe)?.[1];
    // .env.example's default: a stream is silent at most this long (twice: room for a busy instance).
    const example = readFileSync(path.join(path.dirname(RECIPE_PATH), '../.env.example'), 'utf8');
    const heartbeat = /^SSE_HEARTBEAT_MS=(\d+)$/m.exec(example)?.[1];
    expect(Number(timeout) * 1000).toBeGreaterThan(2 * Number(heartbeat));
  });

  it('is quoted in the README as it is, comments aside', () => {
    // The directives in order, with the optional lines that are commented out in both.
    const directives = (text: string) =>
      text
        .split('\n')
        .filter((line) => !/^\s*#(?! gzip)/.test(line))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
    const readme = readFileSync(path.join(path.dirname(RECIPE_PATH), '../README.md'), 'utf8');
    const quoted = /```nginx\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(directives(quoted)).toBe(directives(readFileSync(RECIPE_PATH, 'utf8')));
  });

  it('keeps connections to the instances open between requests (upstream keepalive)', async () => {
    for (let n = 0; n < 10; n += 1) {
      const response = await fetch(`${nginx.url}/api/cities`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    // No request is in flight: what nginx holds now is idle, kept for the next request. Without
    // HTTP/1.1 and an empty Connection header, nginx would have closed each one after its answer.
    expect(nginx.connectionsTo(PORTS.a) + nginx.connectionsTo(PORTS.b)).toBeGreaterThan(0);
  });

  it('passes each event on as it comes: an update is readable before the next one exists', async () => {
    const city = 'nanjing';
    const stream = await openRaw(`${nginx.url}${streamPath(city)}`);
    expect(stream.headers['content-encoding']).toBeUndefined();
    for (const score of [8.1, 8.2, 8.3]) {
      fake.setScore({ city, id: FIRST_ID, score });
      await untilScore(stream, score);
    }
    // Host is passed with its port: our own origin is not taken for another site's.
    expect(await streamStatus(`${nginx.url}${streamPath(city)}`, { Origin: nginx.url })).toBe(200);
    expect(
      await streamStatus(`${nginx.url}${streamPath(city)}`, { Origin: 'http://elsewhere.example' }),
    ).toBe(403);
    stream.close();
  });

  it('with the recipe’s optional gzip, compresses the stream and still passes events one by one', async () => {
    const city = 'wuhan';
    const gzipped = await startNginx({ port: PORTS.gzipNginx, upstreams: [PORTS.a, PORTS.b], gzip: true });
    try {
      const plain = await openRaw(`${nginx.url}${streamPath(city)}`);
      const compressed = await openRaw(`${gzipped.url}${streamPath(city)}`, { gzip: true });
      expect(compressed.headers['content-encoding']).toBe('gzip');
      const atSnapshot = { plain: plain.wireBytes, compressed: compressed.wireBytes };
      for (const score of [7.1, 7.2, 7.3]) {
        fake.setScore({ city, id: FIRST_ID, score });
        await Promise.all([untilScore(compressed, score), untilScore(plain, score)]);
      }
      const ratio = plain.wireBytes / compressed.wireBytes;
      const updatesRatio =
        (plain.wireBytes - atSnapshot.plain) / (compressed.wireBytes - atSnapshot.compressed);
      console.log(
        `gzip through nginx: ${plain.wireBytes} B plain, ${compressed.wireBytes} B gzipped (${ratio.toFixed(1)}×); ` +
          `snapshot ${atSnapshot.plain} → ${atSnapshot.compressed} B, the updates after it ${updatesRatio.toFixed(1)}×`,
      );
      expect(ratio).toBeGreaterThan(2);
      plain.close();
      compressed.close();
    } finally {
      await gzipped.stop();
    }
  });

  it('carries 50 viewers through a restart of one instance: no gap, no snapshot, no error, and the restarted instance gets new streams', async () => {
    const city = 'guangzhou';
    const watcher = await openWatcher(city);
    const viewers = openViewers({ city, count: VIEWERS, first: 10 });
    await allReach(viewers, await change(watcher, 8.1, city), 'before the restart');
    // Spread over both, each viewer counted under its own address (the watcher: one more on b; the
    // streams of earlier tests are closed, which an instance may see a moment later).
    await eventually('each instance counts its viewers, each under its own address', async () => {
      const [onA, onB] = await Promise.all([health('a'), health('b')]);
      return (
        onA.streams > 0 &&
        onA.streams + onB.streams === VIEWERS + 1 &&
        onA.clients + onB.clients === VIEWERS + 1
      );
    });

    const leaving = app('a');
    leaving.kill('SIGTERM');
    let gone = false;
    void leaving.exited.then(() => {
      gone = true;
    });
    // New streams asked for while a leaves: from SIGTERM on, a resets every new request but its
    // health probes, and would answer 503 shutting-down on a connection it had already accepted.
    // nginx passes each one to b. From addresses in turn, so that b, which sees each probe's
    // connection close a moment later, never counts 20 of them from one address.
    const probe = async () => {
      const statuses: number[] = [];
      while (!gone && statuses.length < 200) {
        const from = `127.0.0.${200 + (statuses.length % 40)}`;
        statuses.push(await streamStatus(`${nginx.url}${streamPath(city)}`, {}, from));
      }
      return statuses;
    };
    const [draining, probes] = await Promise.all([change(watcher, 8.2, city), probe()]);
    await withTimeout(leaving.exited, 10_000, () => 'a did not exit');
    apps.a = undefined;
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.filter((status) => status !== 200)).toEqual([]);
    const whileDown = await change(watcher, 8.3, city);
    await allReach(viewers, whileDown, 'while a is down');
    expect(draining).toBeLessThan(whileDown);

    apps.a = await start('a');
    await allReach(viewers, await change(watcher, 8.4, city), 'after the restart');
    // New viewers are spread over both again: with nginx's default max_fails, a was out of rotation.
    const newcomers = openViewers({ city, count: 10, first: 60 });
    await Promise.all(
      newcomers.map((client, n) => client.until(`newcomer ${n} opens`, () => client.opens === 1)),
    );
    const onRestarted = (await health('a')).streams;
    console.log(`new streams after the restart: ${onRestarted} of 10 on the restarted instance`);
    // About half (each of nginx's workers takes turns on its own); none without max_fails=0.
    expect(onRestarted).toBeGreaterThanOrEqual(2);

    expectGapless(viewers, watcher);
    for (const client of viewers) expect(client.opens).toBeLessThanOrEqual(2);
    for (const client of [...viewers, ...newcomers]) client.close();
  }, 60_000);

  it('carries 50 viewers through `nginx -s reload`: old workers leave at worker_shutdown_timeout and viewers resume', async () => {
    const city = 'chengdu';
    const watcher = await openWatcher(city);
    const viewers = openViewers({ city, count: VIEWERS, first: 100 });
    const beforeReload = await change(watcher, 6.1, city);
    await allReach(viewers, beforeReload, 'before the reload');

    const reloadedAt = Date.now();
    const oldWorkers = await nginx.reload();
    // The old workers still carry the open streams.
    const duringGrace = await change(watcher, 6.2, city);
    await allReach(viewers, duringGrace, 'while the old workers hold the streams');
    expect(viewers.every((client) => client.opens === 1)).toBe(true);

    const alive = () => nginx.workers().filter((w) => oldWorkers.includes(w.pid));
    await eventually('the old workers exit', () => alive().length === 0, (WORKER_SHUTDOWN_S + 5) * 1000);
    const leftAfterMs = Date.now() - reloadedAt;
    console.log(
      `old nginx workers exited ${leftAfterMs} ms after the reload (worker_shutdown_timeout ${WORKER_SHUTDOWN_S}s)`,
    );
    // They stayed for the streams, and no longer than the timeout (the master checks it each second).
    expect(leftAfterMs).toBeGreaterThanOrEqual(WORKER_SHUTDOWN_S * 1000 - 500);
    expect(leftAfterMs).toBeLessThan((WORKER_SHUTDOWN_S + 2) * 1000);

    const afterReload = await change(watcher, 6.3, city);
    await allReach(viewers, afterReload, 'after the old workers left');
    for (const client of viewers) {
      expect(client.opens).toBe(2);
      // Resumed from the last event of the old worker's stream.
      expect(client.attempts.filter((a) => a.outcome === 'open')[1]?.lastEventId).toBe(String(duringGrace));
    }
    expectGapless(viewers, watcher);
    for (const client of viewers) client.close();
  }, 60_000);

  it('holds STREAMS_PER_IP for the cluster: of 45 streams from one address 20 are served, and an instance killed with SIGKILL frees its places within its lease', async () => {
    const city = 'wuhan';
    const address = '127.0.0.250';
    const url = `${nginx.url}${streamPath(city)}`;
    const answers = await Promise.all(Array.from({ length: 45 }, () => holdStream(url, address)));
    const held = answers.filter((answer) => answer.status === 200);
    expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.status)).toEqual(
      Array(25).fill(429),
    );
    expect(held).toHaveLength(20);
    const refused = await holdStream(url, address);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(30);
    expect(JSON.parse(await refused.text())).toMatchObject({ error: 'ip-limit' });
    // nginx took turns: both instances were asked (each serves some, or its refusals are in nginx's
    // log: a stream's line is written when it ends), and together they served 20, not 20 each.
    const serving = { a: await cityStreams('a', city), b: await cityStreams('b', city) };
    expect(serving.a + serving.b).toBe(20);
    const refusedBy = (port: number) =>
      nginx
        .accessLog()
        .some(
          (line) =>
            line.startsWith(`${address} `) && line.includes(streamPath(city)) && line.includes(`:${port} `),
        );
    expect(serving.a > 0 || refusedBy(PORTS.a)).toBe(true);
    expect(serving.b > 0 || refusedBy(PORTS.b)).toBe(true);

    // The instance holding more of them (10 at least) dies without a word.
    const victim: Name = serving.a >= serving.b ? 'a' : 'b';
    const lost = serving[victim];
    const killed = app(victim);
    killed.kill('SIGKILL');
    await withTimeout(killed.exited, 10_000, () => `${victim} did not exit`);
    apps[victim] = undefined;
    const killedAt = Date.now();
    // Its places come free when its lease in Redis runs out (6 s after its last renewal), and only
    // its places: the address gets exactly that many streams back, through the other instance.
    const regained: HeldStream[] = [];
    await eventually(
      `the ${lost} places of the killed instance free again`,
      async () => {
        const answer = await holdStream(url, address);
        if (answer.status === 200) regained.push(answer);
        else answer.close();
        return regained.length === lost;
      },
      25_000,
    );
    console.log(
      `the killed instance's ${lost} places were free again ${Date.now() - killedAt} ms after SIGKILL`,
    );
    const past = await holdStream(url, address);
    expect(past.status).toBe(429);
    for (const stream of [...held, ...regained, past]) stream.close();
    apps[victim] = await start(victim);
  }, 60_000);

  describe('in a browser', () => {
    let browser: Browser | undefined;
    afterAll(async () => {
      await browser?.close();
    });

    it('says it is reconnecting while nginx answers its own 502, and goes live again when an instance returns', async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const streamAnswers: number[] = [];
      page.on('response', (response) => {
        if (response.url().includes('/api/movies/stream')) streamAnswers.push(response.status());
      });
      const statusLine = (state: string) => `[data-testid="status-line"][data-state="${state}"]`;

      await page.goto(`${nginx.url}/?city=hangzhou`);
      await page.waitForSelector(statusLine('live'), { timeout: 20_000 });

      await Promise.all([app('a').stop(), app('b').stop()]);
      apps.a = undefined;
      apps.b = undefined;
      await page.waitForSelector(statusLine('reconnecting'), { timeout: 10_000 });
      await eventually('the page tries twice more and gets nginx’s 502 both times', () => {
        return streamAnswers.filter((status) => status === 502).length >= 2;
      });
      expect(await page.textContent(statusLine('reconnecting'))).toContain('连接中断，正在重新连接…');

      apps.a = await start('a');
      await page.waitForSelector(statusLine('live'), { timeout: 30_000 });
      expect(errors).toEqual([]);
    }, 60_000);
  });
});
