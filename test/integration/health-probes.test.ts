import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { clusterEnv } from './cluster-env';
import { showOutputOnFailure } from './show-output-on-failure';
import { type App, type AppMode, startApp, withTimeout } from './start-app';
import { type RedisServer, startRedis } from './start-redis';
import { eventually } from './wait-for';

// Liveness (the process answers) apart from readiness (it should get traffic), as a supervisor probes
// them: each on a connection of its own, at the instance's own address.
const PORTS = { server: 4940, nextStart: 4941, fake: 4942, redis: 4943, draining: 4944 };
// Douban holds this city's page ('timeout' mode): a GET /api/movies for it is in flight for ~3 s.
const SLOW_CITY = 'hefei';
const SHUTDOWN_TIMEOUT_MS = 8_000;
// Probes send no token: they get `{ ok, problems }`, as a load balancer does.
const METRICS_TOKEN = 'probe-test-token-0123456789';

let fake: FakeDouban;
let redis: RedisServer;
const apps: Record<string, App | undefined> = {};

beforeAll(async () => {
  fake = await startFakeDouban({ port: PORTS.fake });
  redis = await startRedis({ port: PORTS.redis });
});

afterAll(async () => {
  await Promise.allSettled(Object.values(apps).map((app) => app?.stop()));
  await Promise.allSettled([redis?.stop(), fake?.close()]);
});

showOutputOnFailure(() => apps);

const env = (prefix: string) => ({
  ...clusterEnv({ doubanUrl: fake.url, redisUrl: redis.url, prefix, intervalMs: 500 }),
  DOUBAN_TIMEOUT_MS: '3000',
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  METRICS_TOKEN,
});

type Probe =
  | { at: number; status: number; cacheControl: string | undefined; body: unknown }
  | { at: number; error: string };

/** JSON, or the text as it came (a 404 page). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * One GET on a connection of its own, as a probe is made: its status, Cache-Control and body,
 * or the code of the network error (a 5 s hang is one too), with when it settled.
 */
function probe(url: string, headers: Record<string, string> = {}): Promise<Probe> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({
          at: Date.now(),
          status: response.statusCode ?? 0,
          cacheControl: response.headers['cache-control'],
          body: parseJson(body),
        }),
      );
      response.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ at: Date.now(), error: error.code ?? error.message }),
      );
    });
    request.setTimeout(5_000, () => request.destroy(new Error('hung')));
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ at: Date.now(), error: error.code ?? error.message }),
    );
  });
}

const LIVE = { status: 200, cacheControl: 'no-store', body: { ok: true } };
const READY = { status: 200, cacheControl: 'no-store', body: { ok: true, problems: [] } };
const unready = (problem: string) => ({
  status: 503,
  cacheControl: 'no-store',
  body: { ok: false, problems: [problem] },
});
/** The status a probe got, or its network error. */
async function statusOf(url: string): Promise<number | string> {
  const got = await probe(url);
  return 'status' in got ? got.status : got.error;
}

/** What a probe got, without when. */
const answer = ({ at: _at, ...got }: Probe) => got;

describe.each([
  ['npm start', 'server', PORTS.server],
  ['next start', 'next-start', PORTS.nextStart],
] as const)('%s: liveness apart from readiness', (name, mode: AppMode, port) => {
  let url: string;

  beforeAll(async () => {
    const app = await startApp({ port, mode, env: env(`health-${mode}:`) });
    apps[name] = app;
    url = app.url;
  });

  afterAll(async () => {
    await apps[name]?.stop();
    apps[name] = undefined;
  });

  it('answers live 200 and ready 200 (on both of its paths) while it serves, never from a cache', async () => {
    // Under next start the services, and the Redis connection, are built by the first request that
    // needs them: not ready until Redis is.
    await eventually('ready', async () => (await statusOf(`${url}/api/health/ready`)) === 200);
    for (let n = 0; n < 2; n += 1) {
      expect(answer(await probe(`${url}/api/health/live`))).toEqual(LIVE);
      expect(answer(await probe(`${url}/api/health/ready`))).toEqual(READY);
      expect(answer(await probe(`${url}/api/health`))).toEqual(READY);
    }
    // The alias is the same answer: the detail for operators.
    const operator = { Authorization: `Bearer ${METRICS_TOKEN}` };
    expect(await probe(`${url}/api/health/ready`, operator)).toMatchObject({
      status: 200,
      body: { ok: true, instance: expect.any(String), redis: { state: 'ready' } },
    });
  });

  it('answers ready 503 redis-unavailable once Redis is lost, live 200 all along, ready again once it is back', async () => {
    await redis.stop();
    try {
      await eventually(
        'ready says Redis is lost',
        async () => (await statusOf(`${url}/api/health/ready`)) === 503,
      );
      expect(answer(await probe(`${url}/api/health/ready`))).toEqual(unready('redis-unavailable'));
      expect(answer(await probe(`${url}/api/health`))).toEqual(unready('redis-unavailable'));
      expect(answer(await probe(`${url}/api/health/live`))).toEqual(LIVE);
    } finally {
      await redis.start();
    }
    await eventually(
      'ready once Redis is back',
      async () => (await statusOf(`${url}/api/health/ready`)) === 200,
      15_000,
    );
    expect(answer(await probe(`${url}/api/health/live`))).toEqual(LIVE);
  });
});

/** A stream on a connection of its own: `opened` once it sent its snapshot, `ended` with all it sent. */
function openStream(url: string): { opened: Promise<void>; ended: Promise<string> } {
  let opened: () => void = () => {};
  const ended = new Promise<string>((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.includes('event: snapshot')) opened();
      });
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
  const sent = new Promise<void>((resolve) => {
    opened = resolve;
  });
  return { opened: sent, ended };
}

describe('npm start: a graceful shutdown with a stream open', () => {
  it('answers ready 503 shutting-down and live 200 on new connections until it exits, and nothing else', async () => {
    const app = await startApp({ port: PORTS.draining, env: env('health-draining:') });
    apps.draining = app;
    const stream = openStream(`${app.url}/api/movies/stream?city=shanghai`);
    await withTimeout(stream.opened, 15_000, () => 'the stream sent no snapshot');
    // A request in flight keeps the process draining after the signal, for ~3 s.
    fake.setMode({ city: SLOW_CITY, mode: 'timeout' });
    let slowAnsweredAt = 0;
    const slow = probe(`${app.url}/api/movies?city=${SLOW_CITY}`).then((result) => {
      slowAnsweredAt = Date.now();
      return result;
    });
    await eventually(`the app asks Douban for ${SLOW_CITY}`, () =>
      fake.requestLog().some((r) => r.city === SLOW_CITY),
    );

    app.kill('SIGTERM');
    // Until readiness says 503, the signal may not be handled yet (200), or a probe may meet the
    // instant the server hands its port to the stand-in (reset: the kernel had accepted it for the
    // listener that just closed). From then on, every probe must be answered until the exit.
    await eventually(
      'ready says 503',
      async () => (await statusOf(`${app.url}/api/health/ready`)) === 503,
      5_000,
    );
    // Anything but a probe, on a new connection while it drains: not answered.
    const other = await probe(`${app.url}/api/movies?city=shanghai`);
    const live: Probe[] = [];
    const ready: Probe[] = [];
    const until = Date.now() + SHUTDOWN_TIMEOUT_MS + 5_000;
    let failed: Probe | undefined;
    while (!failed && Date.now() < until) {
      for (const [url, answers] of [
        [`${app.url}/api/health/live`, live],
        [`${app.url}/api/health/ready`, ready],
      ] as const) {
        const got = await probe(url);
        if ('error' in got) {
          failed = got;
          break;
        }
        answers.push(got);
      }
    }
    const exit = await withTimeout(app.exited, SHUTDOWN_TIMEOUT_MS + 5_000, () => 'the app did not exit');
    apps.draining = undefined;
    const inFlight = await slow;
    fake.setMode({ city: SLOW_CITY, mode: 'ok' });

    expect(await stream.ended).toContain('event: reconnect');
    expect(inFlight).toMatchObject({ status: 200, body: { city: SLOW_CITY } });
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(app.output()).not.toContain('"event":"shutdown-timeout"');
    expect(other).toMatchObject({ error: expect.stringMatching(/^(ECONNREFUSED|ECONNRESET)$/) });
    expect(other.at).toBeLessThan(slowAnsweredAt);
    // Answered until the process exited: the first refusal came once the request in flight was done
    // (the process then exits), not at the signal ~3 s before.
    expect(failed).toMatchObject({ error: expect.stringMatching(/^(ECONNREFUSED|ECONNRESET)$/) });
    expect(failed?.at).toBeGreaterThanOrEqual(slowAnsweredAt);
    expect(exit.at - (failed?.at ?? 0)).toBeLessThan(1_000);
    expect(live.length).toBeGreaterThan(5);
    for (const got of live) expect(answer(got)).toEqual(LIVE);
    for (const got of ready) expect(answer(got)).toEqual(unready('shutting-down'));
  }, 60_000);
});
