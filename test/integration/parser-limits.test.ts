import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, BoardStatus, BoardUpdate } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { metricSample, readMetricsText } from './metric-sample';
import { openClient } from './sse-client';
import { type App, startApp } from './start-app';
import { type RedisServer, startRedis } from './start-redis';
import { eventually, liveSnapshot } from './wait-for';

// This suite's own ports: other suites run beside it on the same machine.
const FAKE_PORT = 4760;
const REDIS_PORT = 4761;
// Redis' lease lasts 1.5 polls: shorter intervals lose it on a loaded machine, and a publish refused
// for that would read here as the freeze this suite is about.
const INTERVAL = 1_000;

const BAD_ID = '1'.repeat(22);
const LONG_ID = '900000001';
const actors = Array.from({ length: 101 }, (_, i) => `演员${i}`);

let fake: FakeDouban;
let redis: RedisServer;
const clients: Array<{ close(): void }> = [];

beforeAll(async () => {
  fake = await startFakeDouban({ port: FAKE_PORT });
  redis = await startRedis({ port: REDIS_PORT });
});

afterAll(async () => {
  for (const client of clients.splice(0)) client.close();
  await redis?.stop();
  await fake?.close();
});

/** The server's JSON log lines at warn or above, and those that say a publish or a message was refused. */
function complaints(app: App): string[] {
  return app
    .output()
    .split('\n')
    .filter((line) => /"level":"(warn|error)"|"event":"(publish-refused|bad-bus-message)"/.test(line));
}

// The freeze of the issue: an item the parser kept but the bus refused moved the stored head in
// Redis, and every later update of the city was refused while it still said `live`; in memory each
// poll's update was dropped. The same page, on both buses.
describe.each([
  ['in memory', 'hangzhou', 4762, false],
  ['on Redis', 'nanjing', 4763, true],
] as const)('a Douban item past the caps (%s)', (_, city, port, withRedis) => {
  let app: App;

  beforeAll(async () => {
    app = await startApp({
      port,
      env: {
        DOUBAN_BASE_URL: fake.url,
        POLL_INTERVAL_MS: String(INTERVAL),
        // The fake's cities hold the same film at different scores (tests change one city), which Douban never
        // does; with history on, each city's poll would record the other's score and send trend-only updates.
        // These tests count exact events: they keep no history (test/integration/history.test.ts does).
        HISTORY: 'off',
        POLL_JITTER: '0',
        SSE_HEARTBEAT_MS: '1000',
        LOG_LEVEL: 'info',
        ...(withRedis ? { REDIS_URL: redis.url, REDIS_PREFIX: `limits-${port}:` } : {}),
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('is cut or dropped by the parser, and the changes of the other movies still arrive', async () => {
    const client = openClient(`${app.url}/api/movies/stream?city=${city}`);
    clients.push(client);
    const snapshot: BoardSnapshot = await liveSnapshot(client);
    const [both, changed] = snapshot.nowPlaying;
    if (!both || !changed) throw new Error('the recorded page has fewer than two movies');

    // Synchronous: the next poll sees all three at once.
    fake.addMovie({ city, id: BAD_ID, title: '二十二位', score: 7 });
    fake.addMovie({ city, id: LONG_ID, title: '长'.repeat(600), score: 7, actors });
    fake.listAlsoUpcoming({ city, id: both.id });

    const added = (await client.next('update')).data as BoardUpdate;
    expect(added.added.map((movie) => movie.id)).toEqual([LONG_ID]);
    expect(added.added[0]?.title).toBe('长'.repeat(500));
    expect(added.added[0]?.actors).toEqual(actors.slice(0, 100));
    expect(added).toMatchObject({ updated: [], removed: [] });

    fake.setScore({ city, id: changed.id, score: 3.3 });
    const rescored = (await client.next('update')).data as BoardUpdate;
    expect(rescored.version).toBeGreaterThan(added.version);
    expect(rescored.updated).toEqual([expect.objectContaining({ id: changed.id, score: 3.3 })]);
    expect(rescored).toMatchObject({ added: [], removed: [] });

    const board = (await (await fetch(`${app.url}/api/movies?city=${city}`)).json()) as BoardSnapshot;
    expect(board.version).toBe(rescored.version);
    expect(board.nowPlaying.filter((movie) => movie.id === both.id)).toHaveLength(1);
    expect(board.upcoming.some((movie) => movie.id === both.id)).toBe(false);
    expect([...board.nowPlaying, ...board.upcoming].some((movie) => movie.id === BAD_ID)).toBe(false);
  });

  it('then publishes nothing while the page stays the same, says live, and logs nothing per poll', async () => {
    const before = await (await fetch(`${app.url}/api/movies?city=${city}`)).json();
    const client = openClient(`${app.url}/api/movies/stream?city=${city}&lastEventId=${before.version}`);
    clients.push(client);
    // Resumed at the current version: the status, and no event to replay.
    const status = (await client.next('status')).data as BoardStatus;
    expect(status).toMatchObject({ city, state: 'live', reason: null });
    const polls = fake.requests(city);
    await eventually('four more polls', () => fake.requests(city) >= polls + 4, 4 * INTERVAL + 10_000);

    const after = (await (await fetch(`${app.url}/api/movies?city=${city}`)).json()) as BoardSnapshot;
    expect(after.version).toBe(before.version);
    expect(client.received.filter((event) => event.type !== 'status')).toEqual([]);
    const health = (await (await fetch(`${app.url}/api/health`)).json()) as {
      cities: Array<{ city: string; state: string; version: number }>;
    };
    expect(health.cities.find((entry) => entry.city === city)).toMatchObject({
      state: 'live',
      version: before.version,
    });
    expect(complaints(app)).toEqual([]);
  });

  it('counts what it dropped and cut in /api/metrics', async () => {
    const text = await readMetricsText(app.url);
    const dropped = 'nowshowing_parser_items_dropped_total';
    const trimmed = 'nowshowing_parser_fields_trimmed_total';
    // Once per poll that saw the page: at least the six polls above.
    expect(metricSample(text, dropped, { reason: 'bad-id' })).toBeGreaterThanOrEqual(6);
    expect(metricSample(text, dropped, { reason: 'in-both-lists' })).toBeGreaterThanOrEqual(6);
    expect(metricSample(text, trimmed, { field: 'title' })).toBeGreaterThanOrEqual(6);
    expect(metricSample(text, trimmed, { field: 'actors' })).toBeGreaterThanOrEqual(6);
  });
});
