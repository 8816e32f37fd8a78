import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { clusterEnv } from './cluster-env';
import { openClient, type Received } from './sse-client';
import { type App, startApp } from './start-app';
import { type RedisServer, startRedis } from './start-redis';
import { eventually, liveSnapshot, nextStatus } from './wait-for';

// Two `next start` instances (a third joins for one test) on one private redis-server and one fake
// Douban, each test with a city of its own. The test that kills an instance comes last.
const INTERVAL = 500;
const PREFIX = 'cluster-test:';
const CHANNEL = `${PREFIX}events`;
const FIRST_ID = '36154853'; // 好东西, first movie of the recorded Shanghai page
const PORTS = { a: 4310, b: 4312, c: 4314, fake: 4311, redis: 4390 };

type Name = 'a' | 'b' | 'c';
type Client = ReturnType<typeof openClient>;
interface Health {
  ok: boolean;
  instance: string;
  redis: { state: 'disabled' | 'ready' | 'down' };
  cities: Array<{
    city: string;
    state: string;
    reason: string | null;
    version: number;
    polling: boolean;
    leader: boolean;
  }>;
}

let fake: FakeDouban;
let redis: RedisServer;
// c joins for one test only.
const apps: Record<Name, App | undefined> = { a: undefined, b: undefined, c: undefined };
const clients: Client[] = [];

const env = () =>
  clusterEnv({ doubanUrl: fake.url, redisUrl: redis.url, prefix: PREFIX, intervalMs: INTERVAL });

beforeAll(async () => {
  fake = await startFakeDouban({ port: PORTS.fake });
  redis = await startRedis({ port: PORTS.redis });
  [apps.a, apps.b] = await Promise.all([
    startApp({ port: PORTS.a, env: env() }),
    startApp({ port: PORTS.b, env: env() }),
  ]);
});

afterAll(async () => {
  for (const client of clients) client.close();
  // Each one even when another fails to stop.
  await Promise.allSettled([apps.a?.stop(), apps.b?.stop(), apps.c?.stop()]);
  await Promise.allSettled([redis?.stop(), fake?.close()]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    for (const [name, app] of Object.entries(apps)) {
      if (app) console.error(`--- instance ${name}, last output:\n${app.output().slice(-3000)}`);
    }
    console.error(`--- redis-server, last output:\n${redis?.output().slice(-1500)}`);
  });
});

function app(name: Name): App {
  const found = apps[name];
  if (!found) throw new Error(`instance ${name} is not running`);
  return found;
}

function connect(name: Name, city: string, options: { lastEventId?: string } = {}): Client {
  const client = openClient(`${app(name).url}/api/movies/stream?city=${city}`, options);
  clients.push(client);
  return client;
}

/** The first event that gives FIRST_ID the score `score`: an update, or a snapshot (a catch-up). */
async function nextWithScore(client: Client, score: number): Promise<Received> {
  for (;;) {
    const event = await client.next();
    const movies =
      event.type === 'update'
        ? (event.data as BoardUpdate).updated
        : event.type === 'snapshot'
          ? (event.data as BoardSnapshot).nowPlaying
          : [];
    if (movies.some((m) => m.id === FIRST_ID && m.score === score)) return event;
  }
}

async function health(name: Name): Promise<Health> {
  const response = await fetch(`${app(name).url}/api/health`);
  const body = (await response.json()) as Health;
  // 503 exactly while the instance should get no traffic (here: Redis lost).
  expect(response.status).toBe(body.redis.state === 'down' ? 503 : 200);
  expect(body.ok).toBe(response.status === 200);
  return body;
}

async function cityHealth(name: Name, city: string) {
  return (await health(name)).cities.find((c) => c.city === city);
}

async function board(name: Name, city: string): Promise<{ status: number; body: BoardSnapshot }> {
  const response = await fetch(`${app(name).url}/api/movies?city=${city}`);
  return { status: response.status, body: (await response.json()) as BoardSnapshot };
}

/** Runs `during` with redis-server stopped, and starts it again (empty) even when `during` fails. */
async function withRedisDown(during: () => Promise<void>): Promise<void> {
  await redis.stop();
  try {
    await during();
  } finally {
    await redis.start();
  }
}

const badBusLines = (name: Name) =>
  app(name)
    .output()
    .split('\n')
    .filter((line) => line.includes('"event":"bad-bus-message"'));

describe('two instances on one Redis', () => {
  it('asks Douban once per city per interval, whichever instance the viewers are on', async () => {
    const city = 'nanjing';
    const onA = connect('a', city);
    const onB = connect('b', city);
    await Promise.all([liveSnapshot(onA), liveSnapshot(onB)]);
    const from = Date.now();
    for (const score of [8.1, 8.2, 8.3, 8.4]) {
      fake.setScore({ city, id: FIRST_ID, score });
      await Promise.all([nextWithScore(onA, score), nextWithScore(onB, score)]);
    }
    const to = Date.now();

    const times = fake
      .requestLog()
      .filter((r) => r.city === city)
      .map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL - 50);
    // One poller for the cluster: about window / interval requests, not twice that.
    const inWindow = times.filter((t) => t >= from && t <= to).length;
    expect(inWindow).toBeGreaterThanOrEqual(4);
    expect(inWindow).toBeLessThanOrEqual(Math.ceil((to - from) / INTERVAL) + 1);

    const [a, b] = await Promise.all([cityHealth('a', city), cityHealth('b', city)]);
    expect([a?.polling, b?.polling].filter(Boolean)).toHaveLength(1);
    expect([a?.leader, b?.leader].filter(Boolean)).toHaveLength(1);
    expect(a?.polling).toBe(a?.leader);
  });

  it('sends one upstream change to the clients of both instances as the same update with the same id', async () => {
    const city = 'wuhan';
    const onA = connect('a', city);
    const onB = connect('b', city);
    const [snapshotA, snapshotB] = await Promise.all([liveSnapshot(onA), liveSnapshot(onB)]);
    // The same version is the same board on every instance.
    expect(snapshotB.version).toBe(snapshotA.version);
    expect(snapshotB).toEqual(snapshotA);

    fake.setScore({ city, id: FIRST_ID, score: 9.6 });
    const [updateA, updateB] = await Promise.all([onA.next('update'), onB.next('update')]);
    expect(updateB.id).toBe(updateA.id);
    expect(updateB.data).toEqual(updateA.data);
    const data = updateA.data as BoardUpdate;
    expect(Number(updateA.id)).toBe(data.version);
    expect(data.version).toBeGreaterThan(snapshotA.version);
    expect(data).toMatchObject({ city, added: [], removed: [] });
    expect(data.updated.map((m) => [m.id, m.score])).toEqual([[FIRST_ID, 9.6]]);
  });

  it('serves the shared board on an instance where nobody watches the city', async () => {
    const city = 'suzhou';
    const onA = connect('a', city);
    await liveSnapshot(onA);
    fake.setScore({ city, id: FIRST_ID, score: 5.5 });
    const update = await onA.next('update');

    const { status, body } = await board('b', city);
    expect(status).toBe(200);
    expect(body).toMatchObject({ city, version: Number(update.id), source: 'douban', stale: false });
    expect(body.nowPlaying).toHaveLength(85);
    expect(body.nowPlaying.find((m) => m.id === FIRST_ID)?.score).toBe(5.5);
  });

  it('resumes on instance B exactly after the Last-Event-ID read on instance A', async () => {
    const city = 'shenzhen';
    // Keeps the city watched (and polled) while the reader is away.
    const watcher = connect('a', city);
    const reader = connect('a', city);
    await Promise.all([liveSnapshot(watcher), liveSnapshot(reader)]);
    fake.setScore({ city, id: FIRST_ID, score: 7.0 });
    await watcher.next('update');
    const lastRead = (await reader.next('update')).id;
    reader.close();

    const missed: Received[] = [];
    for (const score of [7.1, 7.2, 7.3]) {
      fake.setScore({ city, id: FIRST_ID, score });
      missed.push(await watcher.next('update'));
    }

    const resumed = connect('b', city, { lastEventId: lastRead });
    const replayed = [await resumed.next(), await resumed.next(), await resumed.next()];
    expect(replayed.map((e) => [e.type, e.id])).toEqual(missed.map((e) => ['update', e.id]));
    expect(replayed.map((e) => e.data)).toEqual(missed.map((e) => e.data));
    // Then the status, and nothing replayed twice.
    expect((await resumed.next()).type).toBe('status');
    expect(resumed.received.filter((e) => e.type !== 'status')).toHaveLength(3);
  });

  it('skips and logs garbage published on the channel, and the next real update still arrives on both', async () => {
    const city = 'xian';
    const onA = connect('a', city);
    const onB = connect('b', city);
    const [snapshot] = await Promise.all([liveSnapshot(onA), liveSnapshot(onB)]);
    const data = JSON.stringify({ city, version: snapshot.version + 1, added: [], updated: [], removed: [] });
    // A well-formed update, for the fields below to spoil one at a time.
    const real = { city, name: 'update', version: snapshot.version + 1, previous: snapshot.version, data };
    const garbage = [
      'not json',
      '',
      'null',
      '[1,2,3]',
      { city: 'x' },
      { ...real, version: 1e300 },
      { ...real, version: -5 },
      { ...real, version: 2 ** 60 },
      { ...real, version: String(real.version) },
      { ...real, data: 42 },
      { ...real, name: 'explode' },
      { ...real, city: 42 },
      { ...real, city: '../../etc' },
      { ...real, name: 'snapshot', data: 'not json' },
    ].map((message) => (typeof message === 'string' ? message : JSON.stringify(message)));
    const loggedBefore = { a: badBusLines('a').length, b: badBusLines('b').length };
    for (const message of garbage) {
      // Both instances hold their one subscription to the channel.
      expect(await redis.publish(CHANNEL, message)).toBe(2);
    }
    await eventually(
      `each instance logs bad-bus-message for each of the ${garbage.length} messages`,
      () =>
        badBusLines('a').length - loggedBefore.a >= garbage.length &&
        badBusLines('b').length - loggedBefore.b >= garbage.length,
    );
    const line = JSON.parse(badBusLines('a').at(-1) as string);
    expect(line).toMatchObject({ level: 'warn', event: 'bad-bus-message' });

    fake.setScore({ city, id: FIRST_ID, score: 6.4 });
    // The next event on each client is the real update: no garbage was forwarded.
    const [nextA, nextB] = await Promise.all([onA.next(), onB.next()]);
    for (const event of [nextA, nextB]) {
      expect(event.type).toBe('update');
      expect((event.data as BoardUpdate).updated.map((m) => [m.id, m.score])).toEqual([[FIRST_ID, 6.4]]);
    }
    expect(nextB.id).toBe(nextA.id);
    expect(Number(nextA.id)).toBeGreaterThan(snapshot.version);
    expect((await health('a')).ok).toBe(true);
    expect((await health('b')).ok).toBe(true);
  });

  it.each([
    ['tianjin', 'not json'],
    ['chongqing', '{"version":5}'],
  ])(
    'skips a stored board of %s that is not one (%s), logs it, and serves the city from Douban',
    async (city, stored) => {
      const startedAt = Date.now();
      await redis.call('SET', `${PREFIX}snapshot:${city}`, stored);
      await redis.call('XADD', `${PREFIX}history:${city}`, '*', 'm', 'not json');
      // Nobody polls until both instances have read what is stored.
      await redis.call('SET', `${PREFIX}lease:${city}`, 'held-by-the-test', 'PX', 30_000);
      const loggedBefore = { a: badBusLines('a').length, b: badBusLines('b').length };
      for (const name of ['a', 'b'] as const) {
        const { status, body } = await board(name, city);
        expect(status).toBe(200);
        // Versions are never below the clock, garbage or not.
        expect(body.version).toBeGreaterThanOrEqual(startedAt);
      }
      await eventually('each instance logs bad-bus-message for what it read', () => {
        return badBusLines('a').length > loggedBefore.a && badBusLines('b').length > loggedBefore.b;
      });
      const onA = connect('a', city);
      const onB = connect('b', city);
      await Promise.all([onA.next('status'), onB.next('status')]);

      await redis.call('DEL', `${PREFIX}lease:${city}`);
      const [snapshotA, snapshotB] = await Promise.all([liveSnapshot(onA), liveSnapshot(onB)]);
      expect(snapshotB.version).toBe(snapshotA.version);
      expect(snapshotA.nowPlaying).toHaveLength(85);
      fake.setScore({ city, id: FIRST_ID, score: 2.2 });
      const [updateA, updateB] = await Promise.all([onA.next('update'), onB.next('update')]);
      expect(updateB.id).toBe(updateA.id);
    },
  );

  it('keeps serving through a Redis outage, reports degraded, and recovers when Redis returns', async () => {
    const city = 'chengdu';
    const onA = connect('a', city);
    const onB = connect('b', city);
    await Promise.all([liveSnapshot(onA), liveSnapshot(onB)]);
    // (The live status comes before the first live snapshot: it is already behind us.)
    fake.setScore({ city, id: FIRST_ID, score: 4.1 });
    const [before] = await Promise.all([nextWithScore(onA, 4.1), nextWithScore(onB, 4.1)]);

    await withRedisDown(async () => {
      const [degradedA, degradedB] = await Promise.all([
        nextStatus(onA, 'degraded'),
        nextStatus(onB, 'degraded'),
      ]);
      for (const status of [degradedA, degradedB]) {
        expect(status).toMatchObject({ city, state: 'degraded', reason: 'redis-unavailable' });
      }
      for (const name of ['a', 'b'] as const) {
        const { status, body } = await board(name, city);
        expect(status).toBe(200);
        expect(body.nowPlaying).toHaveLength(85);
        expect(body.nowPlaying.find((m) => m.id === FIRST_ID)?.score).toBe(4.1);
        await eventually(
          `${name} reports redis down`,
          async () => (await health(name)).redis.state === 'down',
        );
        expect(await cityHealth(name, city)).toMatchObject({
          state: 'degraded',
          reason: 'redis-unavailable',
        });
      }
      // Nothing on either client but statuses while Redis is away: the board they hold stays.
      expect(onA.received.at(-1)?.type).toBe('status');
      expect(onB.received.at(-1)?.type).toBe('status');
    });
    await Promise.all([nextStatus(onA, 'live'), nextStatus(onB, 'live')]);
    for (const name of ['a', 'b'] as const) {
      await eventually(
        `${name} reports redis ready`,
        async () => (await health(name)).redis.state === 'ready',
      );
    }
    fake.setScore({ city, id: FIRST_ID, score: 4.2 });
    const [afterA, afterB] = await Promise.all([nextWithScore(onA, 4.2), nextWithScore(onB, 4.2)]);
    expect(afterB.id).toBe(afterA.id);
    // Versions keep growing though Redis came back empty.
    expect(Number(afterA.id)).toBeGreaterThan(Number(before.id));
  });

  it('serves an instance started while Redis is unreachable, which joins the cluster when Redis comes up', async () => {
    await withRedisDown(async () => {
      apps.c = await startApp({ port: PORTS.c, env: env() });
      // The board it has (Shangrao's saved page), and why it may be behind.
      const early = connect('c', 'shangrao');
      const first = await early.next();
      expect(first.type).toBe('snapshot');
      expect((first.data as BoardSnapshot).nowPlaying).toHaveLength(21);
      expect(await nextStatus(early, 'degraded')).toMatchObject({ reason: 'redis-unavailable' });
      expect((await health('c')).redis.state).toBe('down');
      early.close();
    });
    for (const name of ['a', 'b', 'c'] as const) {
      await eventually(
        `${name} reports redis ready`,
        async () => (await health(name)).redis.state === 'ready',
      );
    }
    // A polls the city; C only listens, so what C's client gets came through the channel.
    const city = 'xiamen';
    const onA = connect('a', city);
    const snapshot = await liveSnapshot(onA);
    await eventually(`a holds the ${city} lease`, async () => (await cityHealth('a', city))?.leader === true);
    const onC = connect('c', city);
    expect((await onC.next()).id).toBe(String(snapshot.version));
    expect(await cityHealth('c', city)).toMatchObject({ leader: false, polling: false });

    fake.setScore({ city, id: FIRST_ID, score: 1.9 });
    const [updateA, updateC] = await Promise.all([onA.next('update'), onC.next('update')]);
    expect(updateC.id).toBe(updateA.id);
    expect(updateC.data).toEqual(updateA.data);
  });

  // Last: it leaves a single instance running.
  it('lets the other instance take over polling within two intervals when the lease holder is killed', async () => {
    const city = 'hangzhou';
    const onA = connect('a', city);
    const onB = connect('b', city);
    await Promise.all([liveSnapshot(onA), liveSnapshot(onB)]);
    let holder: 'a' | 'b' | undefined;
    await eventually(`exactly one instance holds the ${city} lease`, async () => {
      const [a, b] = await Promise.all([cityHealth('a', city), cityHealth('b', city)]);
      holder = a?.leader && !b?.leader ? 'a' : b?.leader && !a?.leader ? 'b' : undefined;
      return holder !== undefined;
    });
    const killed = holder as 'a' | 'b';
    const survivor = killed === 'a' ? 'b' : 'a';
    const survivorClient = survivor === 'a' ? onA : onB;
    (killed === 'a' ? onA : onB).close();

    const killedAt = Date.now();
    await app(killed).stop('SIGKILL');
    const deadAt = Date.now();
    apps[killed] = undefined;

    // Only the survivor is left to ask Douban.
    const polledAfter = () => fake.requestLog().find((r) => r.city === city && r.at > deadAt);
    await eventually(`a request for ${city} after the kill`, () => polledAfter() !== undefined, 5_000);
    expect((polledAfter()?.at as number) - killedAt).toBeLessThanOrEqual(2 * INTERVAL + 250);
    await eventually(
      `${survivor} holds the lease`,
      async () => (await cityHealth(survivor, city))?.leader === true,
      2_000,
    );
    expect(await cityHealth(survivor, city)).toMatchObject({ polling: true, leader: true });

    fake.setScore({ city, id: FIRST_ID, score: 3.3 });
    const update = await nextWithScore(survivorClient, 3.3);
    expect(update.type).toBe('update');
  });
});
