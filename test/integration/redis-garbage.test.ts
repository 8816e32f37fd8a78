import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { clusterEnv } from './cluster-env';
import { showOutputOnFailure } from './show-output-on-failure';
import { openClient, type Received, type SseClient } from './sse-client';
import { type App, startApp, withTimeout } from './start-app';
import { type RedisServer, startRedis } from './start-redis';
import { eventually, liveSnapshot } from './wait-for';

// Garbage written by hand into the keys of the Redis bus (lib/bus/create-redis-bus.ts) of a private
// redis-server: a poll time that is not one, a history with a gap or an entry that fails validation.
// The instance must keep polling at its interval without spinning, and a client resuming from before
// a break must get a snapshot, never a replay across it.
const INTERVAL = 500;
const PREFIX = 'garbage-test:';
const FIRST_ID = '36154853'; // 好东西, first movie of the recorded Shanghai page
const PORTS = { a: 4795, fake: 4796, redis: 4797, b: 4798 };

let fake: FakeDouban;
let redis: RedisServer;
let a: App | undefined;
let b: App | undefined;
const clients: SseClient[] = [];

const env = () =>
  clusterEnv({ doubanUrl: fake.url, redisUrl: redis.url, prefix: PREFIX, intervalMs: INTERVAL });

beforeAll(async () => {
  fake = await startFakeDouban({ port: PORTS.fake });
  redis = await startRedis({ port: PORTS.redis });
  a = await startApp({ port: PORTS.a, env: env() });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await Promise.allSettled([redis?.stop(), fake?.close()]);
});

showOutputOnFailure(() => ({ a, b }));

function connect(app: App | undefined, city: string, options: { lastEventId?: string } = {}): SseClient {
  if (!app) throw new Error('instance not running');
  const client = openClient(`${app.url}/api/movies/stream?city=${city}`, options);
  clients.push(client);
  return client;
}

/** The next snapshot or update, skipping status events. */
async function nextVersioned(client: SseClient): Promise<Received> {
  for (;;) {
    const event = await client.next();
    if (event.type !== 'status') return event;
  }
}

/** How many Lua scripts (lease knocks, publishes, versions) Redis has run so far. */
async function evalCalls(): Promise<number> {
  const info = String(await redis.call('INFO', 'commandstats'));
  return Number(/cmdstat_eval:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

const requestsOf = (city: string) => fake.requestLog().filter((request) => request.city === city);

describe('garbage in the poll time', () => {
  it.each([
    ['xian', 'not a number'],
    ['qingdao', String(Date.now() + 86_400_000)],
  ])('%s, polled time %j: polls at its interval, without a timer that spins', async (city, garbage) => {
    await redis.call('SET', `${PREFIX}polled:${city}`, garbage);
    const client = connect(a, city);
    await liveSnapshot(client);
    const from = Date.now();
    const evalsBefore = await evalCalls();
    // The schedule goes on: four more polls (only the fake's log tells, there is no event to await).
    await eventually('four more polls', () => requestsOf(city).filter((r) => r.at > from).length >= 4);
    const window = Date.now() - from;
    const evals = (await evalCalls()) - evalsBefore;
    client.close();

    const times = requestsOf(city).map((request) => request.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL - 50);
    expect(window).toBeLessThan(INTERVAL * 6);
    // Per interval: two lease knocks and a poll's writes. A timer that fires at once runs hundreds.
    expect(evals).toBeLessThanOrEqual(Math.ceil(window / INTERVAL) * 6 + 6);
    expect(a?.output()).toContain('"event":"bad-polled-time"');
  });
});

describe('garbage in the head and the version sequence', () => {
  it.each([
    ['wuxi', 'head'],
    ['hefei', 'version'],
  ])(
    '%s, a %s that is not a number: the next change of the board is published all the same',
    async (city, kind) => {
      const client = connect(a, city);
      const first = await liveSnapshot(client);
      await redis.call('SET', `${PREFIX}${kind}:${city}`, 'not a number');
      fake.setScore({ city, id: FIRST_ID, score: 8.7 });
      const published = (async () => {
        for (;;) {
          const event = await nextVersioned(client);
          const { updated = [] } = event.data as Partial<BoardUpdate>;
          if (event.type === 'update' && updated.some((m) => m.id === FIRST_ID && m.score === 8.7))
            return event;
        }
      })();
      const update = await withTimeout(published, INTERVAL * 10, () => 'the change was not published');
      expect(Number(update.id)).toBeGreaterThan(first.version);
      expect(await redis.call('GET', `${PREFIX}${kind}:${city}`)).toMatch(/^\d+$/);
      client.close();
    },
  );
});

describe('a broken history in the store', () => {
  // Per city: the versions of its live snapshot and of three updates, and how its history is broken.
  const broken = {
    hangzhou: { why: 'a gap (an entry deleted)', versions: [] as string[] },
    chengdu: { why: 'an entry that is not a bus message', versions: [] as string[] },
    suzhou: { why: 'an update whose payload fails its schema', versions: [] as string[] },
  };
  type City = keyof typeof broken;

  /** Builds a history of four versions on instance a, breaks its third entry, and starts b on it. */
  beforeAll(async () => {
    for (const city of Object.keys(broken) as City[]) {
      const client = connect(a, city);
      const versions = [String((await liveSnapshot(client)).version)];
      for (const score of [8.1, 8.2, 8.3]) {
        fake.setScore({ city, id: FIRST_ID, score });
        for (;;) {
          const event = await client.next('update');
          if ((event.data as BoardUpdate).updated.some((m) => m.id === FIRST_ID && m.score === score)) {
            versions.push(event.id);
            break;
          }
        }
      }
      client.close();
      broken[city].versions = versions;
      await breakHistory(city, versions[2] as string);
    }
    b = await startApp({ port: PORTS.b, env: env() });
  });

  async function breakHistory(city: City, version: string): Promise<void> {
    const key = `${PREFIX}history:${city}`;
    const entries = (await redis.call('XRANGE', key, '-', '+')) as Array<[string, string[]]>;
    const target = entries.find(([, fields]) => JSON.parse(fields[1] as string).version === Number(version));
    if (!target) throw new Error(`no history entry for ${version}`);
    if (city === 'hangzhou') {
      await redis.call('XDEL', key, target[0]);
      return;
    }
    // A stream keeps its order: write it again with the entry replaced.
    const message = JSON.parse(target[1][1] as string) as { data: string };
    const garbage =
      city === 'chengdu'
        ? '{"city":"chengdu","name":"update"'
        : JSON.stringify({
            ...message,
            data: JSON.stringify({ city, version: Number(version), added: 'x' }),
          });
    await redis.call('DEL', key);
    for (const [id, fields] of entries)
      await redis.call('XADD', key, '*', 'm', id === target[0] ? garbage : (fields[1] as string));
  }

  it.each(Object.keys(broken) as City[])(
    '%s: a client resuming from before the break gets a snapshot, one after it the updates',
    async (city) => {
      const [v0, , v2, v3] = broken[city].versions;
      // v0 is followed by a whole entry (v1), then the break: a replay from it would cross the break.
      const before = await nextVersioned(connect(b, city, { lastEventId: v0 }));
      expect(before.type, broken[city].why).toBe('snapshot');
      expect(before.id).toBe(v3);
      const snapshot = before.data as BoardSnapshot;
      expect(snapshot.nowPlaying.find((movie) => movie.id === FIRST_ID)?.score).toBe(8.3);

      const after = await nextVersioned(connect(b, city, { lastEventId: v2 }));
      expect(after.type).toBe('update');
      expect(after.id).toBe(v3);
      expect((after.data as BoardUpdate).updated.find((movie) => movie.id === FIRST_ID)?.score).toBe(8.3);
      expect(b?.output()).toContain('"event":"history-cut"');
    },
  );
});
