import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Movie, NowPlayingPage } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { createHistory, type History, NEW_FILMS_PER_CITY_PER_DAY } from './create-history';
import { createSqliteBackend } from './create-sqlite-backend';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const start = Date.UTC(2026, 10, 20, 4); // 12:00 in China

const page = (nowPlaying: Movie[], upcoming: Movie[] = []): NowPlayingPage => ({ nowPlaying, upcoming });
const upcoming = (id: string, wish: number) =>
  makeMovie(id, { category: 'upcoming', score: null, votes: null, wish });

const open: History[] = [];
const inMemory = () => {
  const history = createHistory({ backend: createSqliteBackend({ dataDir: ':memory:' }) });
  open.push(history);
  return history;
};
afterEach(async () => {
  for (const history of open.splice(0)) await history.close();
});

/** The trend of `id` in the page `record` answers. */
const trendIn = (recorded: NowPlayingPage, id: string) =>
  [...recorded.nowPlaying, ...recorded.upcoming].find((movie) => movie.id === id)?.trend;

describe('createHistory', () => {
  it('records a point when the score changes, and counts at most every ten minutes', async () => {
    const history = inMemory();
    await history.record({ city: 'shanghai', page: page([makeMovie('1', { votes: 100 })]), at: start });
    await history.record({
      city: 'shanghai',
      page: page([makeMovie('1', { votes: 100 })]),
      at: start + MINUTE,
    });
    await history.record({
      city: 'shanghai',
      page: page([makeMovie('1', { votes: 150 })]),
      at: start + 2 * MINUTE,
    });
    await history.record({
      city: 'shanghai',
      page: page([makeMovie('1', { score: 7.1, votes: 160 })]),
      at: start + 3 * MINUTE,
    });
    await history.record({
      city: 'shanghai',
      page: page([makeMovie('1', { score: 7.1, votes: 200 })]),
      at: start + 14 * MINUTE,
    });
    const film = await history.film({ id: '1', city: 'shanghai' });
    expect(film?.points.map((p) => [p.at - start, p.score, p.votes])).toEqual([
      [0, 7, 100],
      [3 * MINUTE, 7.1, 160],
      [14 * MINUTE, 7.1, 200],
    ]);
  });

  it('sees 开分 only after seeing the film unrated in 正在上映, not when an upcoming film arrives rated', async () => {
    const history = inMemory();
    await history.record({
      city: 'beijing',
      page: page([makeMovie('1', { score: null })], [upcoming('2', 900)]),
      at: start,
    });
    const later = start + HOUR;
    const recorded = await history.record({
      city: 'beijing',
      page: page([makeMovie('1', { score: 8.2 }), makeMovie('2', { score: 6.5 })]),
      at: later,
    });
    expect(trendIn(recorded, '1')?.ratedAt).toBe(later);
    expect(trendIn(recorded, '2')?.ratedAt).toBeUndefined();
    // It moved from 即将上映 to 正在上映 here, an hour after this city's history started.
    expect(trendIn(recorded, '2')).toMatchObject({ playingAt: later, fromUpcoming: true, seenAt: start });
    // There when the history started: when it entered is unknown, so not said.
    expect(trendIn(recorded, '1')?.playingAt).toBeUndefined();
  });

  it('stores a film seen in two cities once, with each city its own listing', async () => {
    const history = inMemory();
    await history.record({ city: 'shanghai', page: page([makeMovie('1', { votes: 100 })]), at: start });
    await history.record({
      city: 'beijing',
      page: page([makeMovie('1', { votes: 100 })]),
      at: start + MINUTE,
    });
    await history.record({ city: 'beijing', page: page([]), at: start + 2 * MINUTE });
    const inShanghai = await history.film({ id: '1', city: 'shanghai' });
    const inBeijing = await history.film({ id: '1', city: 'beijing' });
    expect(inShanghai?.points).toHaveLength(1);
    expect(inBeijing?.points).toEqual(inShanghai?.points);
    expect(inShanghai?.listing).toEqual([{ at: start, list: 'nowplaying' }]);
    expect(inBeijing?.listing).toEqual([
      { at: start + MINUTE, list: 'nowplaying' },
      { at: start + 2 * MINUTE, list: null },
    ]);
    expect(await history.film({ id: '2', city: 'shanghai' })).toBeNull();
  });

  it('gives the values of 24 hours ago as the base, or those of first sight when younger', async () => {
    const history = inMemory();
    let votes = 1000;
    let recorded = page([]);
    // A vote count that grows by 100 an hour for two days.
    for (let at = start; at <= start + 2 * DAY; at += HOUR) {
      recorded = await history.record({ city: 'shanghai', page: page([makeMovie('1', { votes })]), at });
      if (at === start + 3 * HOUR)
        expect(trendIn(recorded, '1')?.base).toEqual({ at: start, score: 7, votes: 1000 });
      votes += 100;
    }
    expect(trendIn(recorded, '1')?.base).toEqual({ at: start + DAY, score: 7, votes: 1000 + 24 * 100 });
    // A rated film's sparkline draws its score: flat here, so there is none to draw.
    expect(trendIn(recorded, '1')?.spark).toBeUndefined();
  });

  it('draws the score once it moves, one closing value a day, and the last recorded', async () => {
    const history = inMemory();
    let recorded = page([]);
    for (let day = 0; day < 5; day++) {
      const movie = makeMovie('1', { score: 7 + day / 10, votes: 100 + day });
      recorded = await history.record({ city: 'shanghai', page: page([movie]), at: start + day * DAY });
    }
    expect(trendIn(recorded, '1')?.spark).toEqual({ of: 'score', values: [7, 7.1, 7.2, 7.3, 7.4] });
  });

  it('draws a young history from its recorded values until it has days to show', async () => {
    const history = inMemory();
    let recorded = page([]);
    for (const [minutes, score] of [
      [0, 7],
      [1, 7.2],
      [2, 7.1],
    ] as const) {
      recorded = await history.record({
        city: 'shanghai',
        page: page([makeMovie('1', { score })]),
        at: start + minutes * MINUTE,
      });
    }
    expect(trendIn(recorded, '1')?.spark).toEqual({ of: 'score', values: [7, 7.2, 7.1] });
    // 想看 for an upcoming film.
    await history.record({ city: 'shanghai', page: page([], [upcoming('2', 100)]), at: start });
    recorded = await history.record({
      city: 'shanghai',
      page: page([], [upcoming('2', 180)]),
      at: start + HOUR,
    });
    expect(trendIn(recorded, '2')?.spark).toEqual({ of: 'wish', values: [100, 180] });
    expect(trendIn(recorded, '2')?.base).toEqual({ at: start, wish: 100 });
  });

  it('lets one city bring in at most 300 new films a day: invented ids cannot grow it without bound', async () => {
    const history = inMemory();
    const invented = (from: number) => Array.from({ length: 1000 }, (_, i) => makeMovie(String(from + i)));
    const first = await history.record({ city: 'shanghai', page: page(invented(1_000_000)), at: start });
    expect(first.nowPlaying.filter((movie) => movie.trend)).toHaveLength(NEW_FILMS_PER_CITY_PER_DAY);
    const again = await history.record({
      city: 'shanghai',
      page: page(invented(2_000_000)),
      at: start + MINUTE,
    });
    expect(again.nowPlaying.filter((movie) => movie.trend)).toHaveLength(0);
    // Films kept are kept (this one entered, then left with the second page); the refused never were;
    // another city has its own allowance; the next day brings a new one.
    expect((await history.film({ id: '1000000', city: 'shanghai' }))?.listing.map((e) => e.list)).toEqual([
      'nowplaying',
      null,
    ]);
    expect(await history.film({ id: '1000999', city: 'shanghai' })).toBeNull();
    const elsewhere = await history.record({
      city: 'beijing',
      page: page(invented(3_000_000)),
      at: start + MINUTE,
    });
    expect(elsewhere.nowPlaying.filter((movie) => movie.trend)).toHaveLength(NEW_FILMS_PER_CITY_PER_DAY);
    const tomorrow = await history.record({
      city: 'shanghai',
      page: page(invented(4_000_000)),
      at: start + DAY,
    });
    expect(tomorrow.nowPlaying.filter((movie) => movie.trend)).toHaveLength(NEW_FILMS_PER_CITY_PER_DAY);
  });

  it('keeps the history across a restart (the embedded store on disk)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'history-'));
    try {
      const first = createHistory({ backend: createSqliteBackend({ dataDir }) });
      await first.record({ city: 'shanghai', page: page([makeMovie('1', { score: null })]), at: start });
      await first.record({
        city: 'shanghai',
        page: page([makeMovie('1', { score: 6.9 })]),
        at: start + HOUR,
      });
      await first.close();
      const second = createHistory({ backend: createSqliteBackend({ dataDir }) });
      const film = await second.film({ id: '1', city: 'shanghai' });
      expect(film).toMatchObject({ firstSeenAt: start, ratedAt: start + HOUR });
      expect(film?.points.map((p) => p.score)).toEqual([null, 6.9]);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('最近下映', () => {
    /** Polls `city` with `lists`, each time showing the board the previous poll answered, as the poller does. */
    const poller = (history: History, city = 'shanghai') => {
      let shown: Awaited<ReturnType<History['record']>> | undefined;
      return async (lists: NowPlayingPage, at: number) => {
        shown = await history.record({ city, page: lists, at, shown });
        return shown;
      };
    };

    it('keeps a film that left with its last look, the list it left, its day and its trend as it was then', async () => {
      const history = inMemory();
      const poll = poller(history);
      await poll(page([makeMovie('1', { score: 7.0, votes: 100 }), makeMovie('2')]), start);
      await poll(
        page([makeMovie('1', { score: 7.4, votes: 900, title: '新片名' }), makeMovie('2')]),
        start + DAY,
      );
      const gone = await poll(page([makeMovie('2')]), start + DAY + HOUR);
      expect(gone.nowPlaying.map((movie) => movie.id)).toEqual(['2']);
      expect(gone.left).toHaveLength(1);
      const [left] = gone.left ?? [];
      expect(left).toMatchObject({
        id: '1',
        category: 'nowplaying',
        title: '新片名',
        score: 7.4,
        votes: 900,
      });
      expect(left?.trend).toMatchObject({ seenAt: start, leftAt: start + DAY + HOUR, base: { score: 7.0 } });
      expect(left?.trend?.spark?.values).toEqual([7.0, 7.4]);
      // Another city keeps listing it with a new score: this city's 最近下映 keeps the film as it left.
      await history.record({
        city: 'beijing',
        page: page([makeMovie('1', { score: 8.8 })]),
        at: start + 2 * DAY,
      });
      const later = await poll(page([makeMovie('2')]), start + 2 * DAY + HOUR);
      expect(later.left).toEqual(gone.left);
    });

    it('lists the newest exit first, and a film for three days only', async () => {
      const history = inMemory();
      const poll = poller(history);
      await poll(page([makeMovie('1'), makeMovie('2'), makeMovie('3')], [upcoming('4', 50)]), start);
      await poll(page([makeMovie('2'), makeMovie('3')], [upcoming('4', 50)]), start + HOUR);
      const both = await poll(page([makeMovie('3')]), start + 2 * HOUR);
      expect(both.left?.map((movie) => [movie.id, movie.category])).toEqual([
        ['2', 'nowplaying'],
        ['4', 'upcoming'],
        ['1', 'nowplaying'],
      ]);
      const gone = await poll(page([makeMovie('3')]), start + HOUR + 3 * DAY);
      expect(gone.left?.map((movie) => movie.id)).toEqual(['2', '4']);
      const none = await poll(page([makeMovie('3')]), start + 2 * HOUR + 3 * DAY);
      expect(none.left).toBeUndefined();
    });

    it('drops a film from 最近下映 when it comes back', async () => {
      const history = inMemory();
      const poll = poller(history);
      await poll(page([makeMovie('1'), makeMovie('2')]), start);
      expect((await poll(page([makeMovie('2')]), start + HOUR)).left?.map((m) => m.id)).toEqual(['1']);
      const back = await poll(page([makeMovie('1'), makeMovie('2')]), start + 2 * HOUR);
      expect(back.left).toBeUndefined();
      expect(back.nowPlaying.map((movie) => movie.id)).toEqual(['1', '2']);
    });

    it('shows a film that left while the board was not its last look, from how it was first seen', async () => {
      const history = inMemory();
      await history.record({ city: 'shanghai', page: page([makeMovie('1'), makeMovie('2')]), at: start });
      // A restart: the board shows saved data, not film 1.
      const recorded = await history.record({
        city: 'shanghai',
        page: page([makeMovie('2')]),
        at: start + HOUR,
        shown: page([]),
      });
      expect(recorded.left?.map((movie) => movie.id)).toEqual(['1']);
    });

    it('keeps 最近下映 across a restart (the cards are stored)', async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'history-'));
      try {
        const first = createHistory({ backend: createSqliteBackend({ dataDir }) });
        const poll = poller(first);
        await poll(page([makeMovie('1', { title: '离开的片' }), makeMovie('2')]), start);
        const before = await poll(page([makeMovie('2')]), start + HOUR);
        await first.close();
        const second = createHistory({ backend: createSqliteBackend({ dataDir }) });
        const after = await second.record({
          city: 'shanghai',
          page: page([makeMovie('2')]),
          at: start + 2 * HOUR,
        });
        expect(after.left).toEqual(before.left);
        expect(after.left?.[0]?.title).toBe('离开的片');
        await second.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('holds at most the 60 newest exits, however many films a page drops', async () => {
      const history = inMemory();
      const poll = poller(history);
      const films = Array.from({ length: 200 }, (_, i) => makeMovie(String(1000 + i)));
      await poll(page(films), start);
      await poll(page(films.slice(0, 100)), start + HOUR);
      const dropped = await poll(page([]), start + 2 * HOUR);
      expect(dropped.left).toHaveLength(60);
      expect(dropped.left?.every((movie) => movie.trend?.leftAt === start + 2 * HOUR)).toBe(true);
    });
  });
});
