import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHistory } from '@/lib/history/create-history';
import { createRedisBackend } from '@/lib/history/create-redis-backend';
import type { HistoryBackend } from '@/lib/history/history-backend';
import { describeHistoryBackend } from '@/lib/history/history-backend-contract';
import type { FilmPoint } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { type RedisServer, startRedis } from './start-redis';

// The history on a private redis-server (lib/history/create-redis-backend.ts): the same contract as
// the SQLite backend, then what only Redis has: other instances of the cluster reading what the
// lease holder wrote, garbage written by hand, Redis going away.
const PORT = 4850;
const HOUR = 3_600_000;
const start = Date.UTC(2026, 10, 20, 4);

let redis: RedisServer;
let prefixes = 0;
/** A key prefix of its own per case, as two deployments sharing one Redis would have. */
const nextPrefix = () => `history-test-${++prefixes}:`;
const open: HistoryBackend[] = [];
const connect = (prefix: string) => {
  const backend = createRedisBackend({ url: redis.url, prefix });
  open.push(backend);
  return backend;
};

beforeAll(async () => {
  redis = await startRedis({ port: PORT });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(open.splice(0).map((backend) => backend.close()));
});
afterAll(async () => {
  await redis?.stop();
});

describeHistoryBackend('createRedisBackend', async () => connect(nextPrefix()));

/** The `bad-history-entry` lines logged since the spy was set, as objects. */
function spyOnWarnings() {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  return () =>
    spy.mock.calls
      .map(([line]) => JSON.parse(String(line)) as { event: string; key: string; why: string })
      .filter((line) => line.event === 'bad-history-entry');
}

const point = (at: number, votes: number): FilmPoint => ({ at, score: 7, votes, wish: null });

describe('createRedisBackend across instances', () => {
  it('lets every instance read what the one polling the city wrote', async () => {
    const prefix = nextPrefix();
    const writer = createHistory({ backend: connect(prefix) });
    const page = { nowPlaying: [makeMovie('1', { score: null, votes: null })], upcoming: [] };
    await writer.record({ city: 'shanghai', page, at: start });
    const rated = { nowPlaying: [makeMovie('1', { score: 8.1, votes: 300 })], upcoming: [] };
    await writer.record({ city: 'shanghai', page: rated, at: start + HOUR });

    const reader = createHistory({ backend: connect(prefix) });
    expect(await reader.film({ id: '1', city: 'shanghai' })).toEqual({
      id: '1',
      city: 'shanghai',
      firstSeenAt: start,
      ratedAt: start + HOUR,
      points: [
        { at: start, score: null, votes: null, wish: null },
        { at: start + HOUR, score: 8.1, votes: 300, wish: null },
      ],
      listing: [{ at: start, list: 'nowplaying' }],
    });
    // Another deployment's prefix sees none of it.
    expect(await createHistory({ backend: connect(nextPrefix()) }).film({ id: '1', city: 'shanghai' })).toBe(
      null,
    );
  });
});

describe('createRedisBackend with garbage in Redis', () => {
  it('skips a film whose state is not one it writes, logs it once, and writes over it', async () => {
    const prefix = nextPrefix();
    const backend = connect(prefix);
    const state = {
      firstSeenAt: start,
      ratedAt: null,
      seenUnrated: false,
      lastSeenAt: start,
      last: point(start, 1),
    };
    await backend.write({
      films: [
        { id: '1', state },
        { id: '2', state },
      ],
      points: [],
      listings: [],
      cards: [],
      cityStarted: null,
    });
    await redis.call('HSET', `${prefix}history:film:1`, 'lastSeenAt', '"yesterday"');
    await redis.call('SET', `${prefix}history:film:3`, 'not a hash');
    const warnings = spyOnWarnings();
    for (let i = 0; i < 2; i++) expect([...(await backend.readFilms(['1', '2', '3'])).keys()]).toEqual(['2']);
    expect(warnings().map(({ key }) => key)).toEqual([`${prefix}history:film:1`, `${prefix}history:film:3`]);

    await backend.write({
      films: [
        { id: '1', state },
        { id: '3', state },
      ],
      points: [],
      listings: [],
      cards: [],
      cityStarted: null,
    });
    expect(Object.fromEntries(await backend.readFilms(['1', '2', '3']))).toEqual({
      '1': state,
      '2': state,
      '3': state,
    });
  });

  it('skips points that are not ones it writes, never answering NaN, and prunes them away', async () => {
    const prefix = nextPrefix();
    const backend = connect(prefix);
    const key = `${prefix}history:points:1`;
    const good = [point(start, 1), point(start + HOUR, 2)];
    await backend.write({
      films: [],
      points: good.map((p) => ({ id: '1', point: p })),
      listings: [],
      cards: [],
      cityStarted: null,
    });
    const garbage: Array<[number, string]> = [
      [start + 1, 'not json'],
      [start + 2, JSON.stringify([start + 2, 'seven', 1, null])],
      [start + 3, JSON.stringify([start + 3, 7, -1, null])],
      [start + 4, JSON.stringify([start + 4, 11, 1, null])],
      [start + 5, JSON.stringify([start + 999, 7, 1, null])],
      [start + 6, JSON.stringify({ at: start + 6 })],
      [start + 7, JSON.stringify([start + 7, 7, 1])],
    ];
    for (const [score, member] of garbage) await redis.call('ZADD', key, score, member);
    const warnings = spyOnWarnings();
    expect(await backend.readPoints('1', 0)).toEqual(good);
    // The point before a time is the last good one, however much garbage lies between.
    expect(await backend.readPoints('1', start + HOUR)).toEqual(good);
    expect(warnings()).toHaveLength(garbage.length);

    // Months later the garbage, older than a week, is thinned away with the points it sat among.
    await backend.write({
      films: [
        {
          id: '1',
          state: {
            firstSeenAt: start,
            ratedAt: null,
            seenUnrated: false,
            lastSeenAt: start,
            last: good[1] as FilmPoint,
          },
        },
      ],
      points: [],
      listings: [],
      cards: [],
      cityStarted: null,
    });
    await backend.prune({ now: start + 60 * 24 * HOUR, dropBefore: 0 });
    expect(await redis.call('ZRANGE', key, 0, -1)).toEqual(
      good.map((p) => JSON.stringify([p.at, p.score, p.votes, p.wish])),
    );
  });

  it('skips listing events, film ids and a first poll that are not ones it writes', async () => {
    const prefix = nextPrefix();
    const backend = connect(prefix);
    await backend.write({
      films: [],
      points: [],
      listings: [{ city: 'shanghai', id: '1', event: { at: start, list: 'nowplaying' } }],
      cards: [],
      cityStarted: null,
    });
    await redis.call(
      'ZADD',
      `${prefix}history:listing:shanghai:1`,
      start + 1,
      JSON.stringify([start + 1, 'sold out']),
    );
    await redis.call('ZADD', `${prefix}history:listing:shanghai:1`, start + 2, '[');
    await redis.call('SADD', `${prefix}history:films:shanghai`, '../etc', '2');
    await redis.call('SET', `${prefix}history:listing:shanghai:2`, 'not a sorted set');
    await redis.call('SET', `${prefix}history:started:shanghai`, 'this morning');
    const warnings = spyOnWarnings();
    expect(await backend.readCity('shanghai')).toEqual({
      startedAt: null,
      listings: new Map([['1', [{ at: start, list: 'nowplaying' }]]]),
    });
    expect(await backend.readListing('shanghai', '1')).toEqual([{ at: start, list: 'nowplaying' }]);
    expect(warnings()).toHaveLength(5);
  });

  it('skips cards that are not movies it writes', async () => {
    const prefix = nextPrefix();
    const backend = connect(prefix);
    await backend.write({
      films: [],
      points: [],
      listings: [],
      cards: [{ id: '1', movie: makeMovie('1') }],
      cityStarted: null,
    });
    await redis.call('SET', `${prefix}history:card:2`, '{"id":"2","title":""}');
    await redis.call('SET', `${prefix}history:card:3`, 'not JSON');
    await redis.call('HSET', `${prefix}history:card:4`, 'id', '4');
    const warnings = spyOnWarnings();
    expect(await backend.readCards(['1', '2', '3', '4', '5'])).toEqual(new Map([['1', makeMovie('1')]]));
    expect(warnings().map(({ key }) => key)).toEqual(
      ['2', '3', '4'].map((id) => `${prefix}history:card:${id}`),
    );
  });

  it('writes a batch whole over a key of ours that holds another type', async () => {
    const prefix = nextPrefix();
    const backend = connect(prefix);
    await redis.call('SET', `${prefix}history:points:1`, 'garbage');
    await redis.call('HSET', `${prefix}history:films:shanghai`, 'a', 'b');
    const warnings = spyOnWarnings();
    expect(await backend.readPoints('1', 0)).toEqual([]);
    await backend.write({
      films: [],
      points: [{ id: '1', point: point(start, 1) }],
      listings: [{ city: 'shanghai', id: '1', event: { at: start, list: 'nowplaying' } }],
      cards: [],
      cityStarted: { city: 'shanghai', at: start },
    });
    expect(await backend.readPoints('1', 0)).toEqual([point(start, 1)]);
    expect((await backend.readCity('shanghai')).listings).toEqual(
      new Map([['1', [{ at: start, list: 'nowplaying' }]]]),
    );
    expect(warnings().length).toBeGreaterThanOrEqual(2);
  });
});

describe('createRedisBackend while Redis is away', () => {
  it('fails at once rather than waiting, and works again once Redis is back', async () => {
    const backend = connect(nextPrefix());
    await backend.write({
      films: [],
      points: [{ id: '1', point: point(start, 1) }],
      listings: [],
      cards: [],
      cityStarted: null,
    });
    await redis.stop();
    try {
      const from = Date.now();
      await expect(backend.readPoints('1', 0)).rejects.toThrow();
      await expect(
        backend.write({
          films: [],
          points: [{ id: '1', point: point(start + 1, 2) }],
          listings: [],
          cards: [],
          cityStarted: null,
        }),
      ).rejects.toThrow();
      expect(Date.now() - from).toBeLessThan(2_500);
    } finally {
      await redis.start();
    }
    // The restarted server is empty, like a restarted cache; the connection comes back by itself.
    await vi.waitFor(async () => expect(await backend.readPoints('1', 0)).toEqual([]), {
      timeout: 15_000,
      interval: 200,
    });
  });
});
