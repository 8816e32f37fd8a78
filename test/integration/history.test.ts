import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardUpdate, FilmHistory, Movie } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { clusterEnv } from './cluster-env';
import { showOutputOnFailure } from './show-output-on-failure';
import { openClient, type SseClient } from './sse-client';
import { type App, startApp } from './start-app';
import { type RedisServer, startRedis } from './start-redis';
import { eventually, liveSnapshot } from './wait-for';

// The board remembers (the built app, npm start, the fake Douban, the embedded store on disk): a
// score change, a first score and a move from 即将上映 to 正在上映 at the fake Douban show in the
// movies' `trend` and in GET /api/movies/<id>/history, which survives a restart.
const FIRST_ID = '36154853'; // 好东西, first of the recorded Shanghai page
const CITY = 'shanghai';
const PORTS = { app: 4860, fake: 4861, a: 4862, b: 4863, redis: 4864 };
const dataDir = mkdtempSync(path.join(tmpdir(), 'history-test-'));

let fake: FakeDouban;
let app: App | undefined;
const clients: SseClient[] = [];
const env = () => ({
  DOUBAN_BASE_URL: fake.url,
  DOUBAN_IMAGE_ORIGIN: fake.url,
  POLL_INTERVAL_MS: '300',
  POLL_JITTER: '0',
  LOG_LEVEL: 'warn',
  DATA_DIR: dataDir,
});

beforeAll(async () => {
  fake = await startFakeDouban({ port: PORTS.fake });
  app = await startApp({ port: PORTS.app, env: env() });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await app?.stop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

showOutputOnFailure(() => ({ app }));

function connect(): SseClient {
  const client = openClient(`${app?.url}/api/movies/stream?city=${CITY}`);
  clients.push(client);
  return client;
}

/** The next update that carries movie `id`, as it carries it. */
async function nextUpdateOf(client: SseClient, id: string): Promise<Movie> {
  for (;;) {
    const { data } = await client.next('update');
    const update = data as BoardUpdate;
    const movie = [...update.updated, ...update.added].find((m) => m.id === id);
    if (movie) return movie;
  }
}

const historyOf = async (id: string, city = CITY) => {
  const response = await fetch(`${app?.url}/api/movies/${id}/history?city=${city}`);
  return { status: response.status, body: await response.json() };
};

describe('the history of a film', () => {
  it('rides on every movie of a live board, from when we first saw it', async () => {
    const board = await liveSnapshot(connect());
    const first = board.nowPlaying.find((m) => m.id === FIRST_ID);
    expect(first?.trend?.seenAt).toBeGreaterThan(0);
    expect(first?.trend?.base).toMatchObject({ at: first?.trend?.seenAt, score: first?.score });
    expect(board.upcoming.every((m) => m.trend !== undefined)).toBe(true);
  });

  it('records a score change, and draws it', async () => {
    const client = connect();
    const { nowPlaying } = await liveSnapshot(client);
    const before = nowPlaying.find((m) => m.id === FIRST_ID)?.score as number;
    fake.setScore({ city: CITY, id: FIRST_ID, score: 5.5 });
    const changed = await nextUpdateOf(client, FIRST_ID);
    expect(changed.score).toBe(5.5);
    expect(changed.trend?.spark).toEqual({ of: 'score', values: [before, 5.5] });
    const { status, body } = await historyOf(FIRST_ID);
    expect(status).toBe(200);
    expect((body as FilmHistory).points.map((p) => p.score)).toEqual([before, 5.5]);
  });

  it('sees 开分 when a film seen unrated gets its first score', async () => {
    const client = connect();
    await liveSnapshot(client);
    const id = '36154853';
    fake.setScore({ city: CITY, id, score: null });
    expect((await nextUpdateOf(client, id)).score).toBeNull();
    fake.setScore({ city: CITY, id, score: 7.7 });
    const rated = await nextUpdateOf(client, id);
    expect(rated.trend?.ratedAt).toBeGreaterThan(rated.trend?.seenAt as number);
    expect(((await historyOf(id)).body as FilmHistory).ratedAt).toBe(rated.trend?.ratedAt);
  });

  it('sees a film move from 即将上映 to 正在上映, in the trend and in the city listing', async () => {
    const client = connect();
    const { upcoming } = await liveSnapshot(client);
    const coming = upcoming[0] as Movie;
    // The fake lists it in 正在上映 too; the board keeps it there only.
    fake.addMovie({ city: CITY, id: coming.id, title: coming.title, score: 6.1 });
    const moved = await nextUpdateOf(client, coming.id);
    expect(moved.category).toBe('nowplaying');
    expect(moved.trend).toMatchObject({ fromUpcoming: true, seenAt: coming.trend?.seenAt });
    expect(moved.trend?.playingAt).toBeGreaterThan(coming.trend?.seenAt as number);
    const { body } = await historyOf(coming.id);
    expect((body as FilmHistory).listing.map((event) => event.list)).toEqual(['upcoming', 'nowplaying']);
  });

  it('answers a malformed id, an unknown film or a bad city with a JSON error', async () => {
    const bad = await historyOf('12ab');
    expect(bad).toMatchObject({ status: 400, body: { error: 'bad-movie-id' } });
    const unknown = await historyOf('99999999999');
    expect(unknown).toMatchObject({ status: 404, body: { error: 'unknown-movie' } });
    const city = await historyOf(FIRST_ID, 'atlantis');
    expect(city.status).toBe(400);
  });

  let left: Movie | undefined;
  it('keeps a film that left in 最近下映, as it was last listed, with the day it left', async () => {
    const client = connect();
    const { nowPlaying } = await liveSnapshot(client);
    const leaving = nowPlaying[1] as Movie;
    fake.removeMovie({ city: CITY, id: leaving.id });
    let update: BoardUpdate;
    do update = (await client.next('update')).data as BoardUpdate;
    while (!update.removed.includes(leaving.id));
    expect(update.left).toHaveLength(1);
    left = update.left?.[0];
    const { trend: _, ...look } = leaving;
    expect(left).toMatchObject(look);
    expect(left?.trend).toMatchObject({
      seenAt: leaving.trend?.seenAt,
      leftAt: Date.parse(update.fetchedAt),
    });
    // Its page still has its title and poster, which only the board had before.
    const page = await fetch(`${app?.url}/movies/${leaving.id}?city=${CITY}`);
    const html = await page.text();
    expect(html).toContain(`<h1 class="film-title">${leaving.title}</h1>`);
    expect(html).toContain(encodeURIComponent(leaving.posterUrl as string));
  });

  it('sends no update while Douban shows the same page, 开分, entry time and 最近下映 included', async () => {
    // By now trends carry ratedAt, playingAt and leftAt (the cases above): a trend rebuilt on each
    // poll must compare equal to the board's copy, or every poll sends those films again.
    const client = connect();
    const { version } = await liveSnapshot(client);
    const seen = client.received.length;
    const polls = fake.requests(CITY);
    // Each poll is fetched only once the one before was published: after four more fetches, three
    // polls of an unchanged page have been compared with the board.
    await eventually('four more polls', () => fake.requests(CITY) >= polls + 4);
    const updates = client.received.slice(seen).filter((event) => event.type === 'update');
    expect(updates.map((event) => event.data)).toEqual([]);
    expect((await liveSnapshot(connect())).version).toBe(version);
  });

  it('survives a restart: the embedded store keeps it on disk, 最近下映 included', async () => {
    const before = (await historyOf(FIRST_ID)).body as FilmHistory;
    await app?.stop();
    app = await startApp({ port: PORTS.app, env: env() });
    const after = await historyOf(FIRST_ID);
    expect(after.status).toBe(200);
    expect((after.body as FilmHistory).points).toEqual(before.points);
    expect((after.body as FilmHistory).firstSeenAt).toBe(before.firstSeenAt);
    const board = await liveSnapshot(connect());
    expect(board.left).toEqual([left]);
  });
});

describe('the history of a cluster (two instances on a private redis-server)', () => {
  let redis: RedisServer;
  const cluster: Record<'a' | 'b', App | undefined> = { a: undefined, b: undefined };
  const city = 'nanjing';

  beforeAll(async () => {
    redis = await startRedis({ port: PORTS.redis });
    const env = {
      ...clusterEnv({ doubanUrl: fake.url, redisUrl: redis.url, prefix: 'history-test:', intervalMs: 300 }),
      HISTORY: 'on',
    };
    [cluster.a, cluster.b] = await Promise.all([
      startApp({ port: PORTS.a, env }),
      startApp({ port: PORTS.b, env }),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([cluster.a?.stop(), cluster.b?.stop()]);
    await redis?.stop();
  });

  showOutputOnFailure(() => cluster);

  it("is one history: written once by the city's poller, the same on every instance", async () => {
    const watchers = (['a', 'b'] as const).map((name) => {
      const client = openClient(`${cluster[name]?.url}/api/movies/stream?city=${city}`);
      clients.push(client);
      return client;
    });
    await Promise.all(watchers.map((client) => liveSnapshot(client)));
    fake.setScore({ city, id: FIRST_ID, score: 4.4 });
    const seen = await Promise.all(watchers.map((client) => nextUpdateOf(client, FIRST_ID)));
    // Both instances serve the trend the poller computed: the same, to the byte.
    expect(JSON.stringify(seen[0]?.trend)).toBe(JSON.stringify(seen[1]?.trend));
    expect(seen[0]?.trend?.spark?.values.at(-1)).toBe(4.4);
    const read = async (name: 'a' | 'b') =>
      (await (
        await fetch(`${cluster[name]?.url}/api/movies/${FIRST_ID}/history?city=${city}`)
      ).json()) as FilmHistory;
    const [fromA, fromB] = await Promise.all([read('a'), read('b')]);
    expect(fromA).toEqual(fromB);
    // One point for the change, not one per instance; one entry into the city's list.
    expect(fromA.points.filter((point) => point.score === 4.4)).toHaveLength(1);
    expect(fromA.listing).toHaveLength(1);

    // A film that leaves is in 最近下映 on both instances, as it was last listed (its card, in Redis).
    fake.removeMovie({ city, id: FIRST_ID });
    const left = await Promise.all(watchers.map((client) => nextLeft(client)));
    expect(left[0]?.map((movie) => movie.id)).toEqual([FIRST_ID]);
    expect(JSON.stringify(left[0])).toBe(JSON.stringify(left[1]));
    const stored = await redis.call('GET', `history-test:history:card:${FIRST_ID}`);
    expect(JSON.parse(stored as string)).toMatchObject({ id: FIRST_ID, score: 4.4 });
  });
});

/** The next update that carries 最近下映. */
async function nextLeft(client: SseClient): Promise<Movie[]> {
  for (;;) {
    const update = (await client.next('update')).data as BoardUpdate;
    if (update.left) return update.left;
  }
}
