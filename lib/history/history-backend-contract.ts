import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilmPoint, ListingEvent } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import type { HistoryBackend, HistoryBatch } from './history-backend';
import type { FilmState } from './observe-film';
import { thinPoints } from './thin-points';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const start = Date.UTC(2026, 10, 20, 4);

const point = (at: number, votes: number | null, score: number | null = 7.1): FilmPoint => ({
  at,
  score,
  votes,
  wish: votes === null ? 1200 : null,
});
const stateOf = (last: FilmPoint, lastSeenAt = last.at): FilmState => ({
  firstSeenAt: start,
  ratedAt: null,
  seenUnrated: false,
  lastSeenAt,
  last,
});
const batchOf = (parts: Partial<HistoryBatch>): HistoryBatch => ({
  films: [],
  points: [],
  listings: [],
  cards: [],
  cityStarted: null,
  ...parts,
});
const listed = (city: string, id: string, at: number, list: ListingEvent['list']) => ({
  city,
  id,
  event: { at, list },
});
/** `readCity`'s listings as a plain object: the order of films is not part of the contract. */
const byFilm = (listings: Map<string, ListingEvent[]>) => Object.fromEntries(listings);

/**
 * What every `HistoryBackend` must do, as vitest cases: run it beside each backend's tests with a
 * factory that answers a fresh, empty backend (it is closed after each case).
 */
export function describeHistoryBackend(name: string, create: () => Promise<HistoryBackend>): void {
  describe(`${name}, as a HistoryBackend`, () => {
    let backend: HistoryBackend;
    beforeEach(async () => {
      backend = await create();
    });
    afterEach(async () => {
      await backend.close();
    });

    it('reads back the films it wrote, the last state of each, and nothing of films never seen', async () => {
      const unrated: FilmState = { ...stateOf(point(start, null, null)), seenUnrated: true };
      await backend.write(
        batchOf({
          films: [
            { id: '1', state: unrated },
            { id: '2', state: stateOf(point(start, 5)) },
          ],
        }),
      );
      const rated: FilmState = { ...unrated, ratedAt: start + HOUR, last: point(start + HOUR, 10) };
      await backend.write(batchOf({ films: [{ id: '1', state: rated }] }));
      const films = await backend.readFilms(['1', '2', '3']);
      expect(Object.fromEntries(films)).toEqual({ '1': rated, '2': stateOf(point(start, 5)) });
      expect((await backend.readFilms([])).size).toBe(0);
    });

    it('reads the points from a time on, oldest first, preceded by the last one before it', async () => {
      const points = [0, 10, 20, 30].map((minutes, i) => point(start + minutes * MINUTE, 100 + i));
      // Written out of order, and the one at 20 minutes twice: the second replaces the first.
      const rewritten = { ...(points[2] as FilmPoint), score: 7.3 };
      for (const batch of [[points[3], points[2]], [points[0], points[1]], [rewritten]])
        await backend.write(batchOf({ points: batch.map((p) => ({ id: '1', point: p as FilmPoint })) }));
      const expected = [points[0], points[1], rewritten, points[3]];
      expect(await backend.readPoints('1', 0)).toEqual(expected);
      expect(await backend.readPoints('1', start + 20 * MINUTE)).toEqual(expected.slice(1));
      expect(await backend.readPoints('1', start + 15 * MINUTE)).toEqual(expected.slice(1));
      expect(await backend.readPoints('1', start + DAY)).toEqual(expected.slice(3));
      expect(await backend.readPoints('2', 0)).toEqual([]);
    });

    it('reads listing events by city and by film, oldest first', async () => {
      await backend.write(
        batchOf({
          listings: [
            listed('shanghai', '1', start + HOUR, 'nowplaying'),
            listed('shanghai', '2', start, 'nowplaying'),
            listed('beijing', '1', start, 'upcoming'),
          ],
        }),
      );
      await backend.write(
        batchOf({
          listings: [listed('shanghai', '1', start, 'upcoming'), listed('shanghai', '2', start + DAY, null)],
        }),
      );
      const shanghai = await backend.readCity('shanghai');
      expect(byFilm(shanghai.listings)).toEqual({
        '1': [
          { at: start, list: 'upcoming' },
          { at: start + HOUR, list: 'nowplaying' },
        ],
        '2': [
          { at: start, list: 'nowplaying' },
          { at: start + DAY, list: null },
        ],
      });
      expect(await backend.readListing('beijing', '1')).toEqual([{ at: start, list: 'upcoming' }]);
      expect(await backend.readListing('beijing', '2')).toEqual([]);
      expect(await backend.readCity('chengdu')).toEqual({ startedAt: null, listings: new Map() });
    });

    it("keeps each film's last card, without its trend, and nothing for films without one", async () => {
      const trend = { seenAt: start, base: { at: start, score: 7 } };
      await backend.write(
        batchOf({
          cards: [
            { id: '1', movie: makeMovie('1', { title: '初见' }) },
            { id: '2', movie: makeMovie('2') },
          ],
        }),
      );
      await backend.write(
        batchOf({ cards: [{ id: '1', movie: makeMovie('1', { title: '下映时', trend }) }] }),
      );
      const cards = await backend.readCards(['1', '2', '3']);
      expect(cards).toEqual(
        new Map([
          ['1', makeMovie('1', { title: '下映时' })],
          ['2', makeMovie('2')],
        ]),
      );
    });

    it("keeps a city's first poll, never a later one", async () => {
      await backend.write(batchOf({ cityStarted: { city: 'shanghai', at: start } }));
      await backend.write(batchOf({ cityStarted: { city: 'shanghai', at: start + HOUR } }));
      await backend.write(batchOf({ cityStarted: { city: 'beijing', at: start + DAY } }));
      expect((await backend.readCity('shanghai')).startedAt).toBe(start);
      expect((await backend.readCity('beijing')).startedAt).toBe(start + DAY);
    });

    it('prunes: thins every film as thinPoints does, drops the films unseen since dropBefore with their listings', async () => {
      // Ids are Douban's: digits.
      const [KEPT, EDGE, GONE] = ['10', '11', '12'];
      // Half past: the week's bound falls inside an hour, whose last point is younger than a week.
      const now = start + 60 * DAY + 30 * MINUTE;
      const dropBefore = start + 10 * DAY;
      // A point every 17 minutes for 60 days, the score moving now and then.
      const points: FilmPoint[] = [];
      for (let at = start, i = 0; at <= now; at += 17 * MINUTE, i++)
        points.push(point(at, i, 6 + (Math.floor(i / 500) % 3) / 10));
      const last = points.at(-1) as FilmPoint;
      await backend.write(
        batchOf({
          films: [
            { id: KEPT, state: stateOf(last) },
            { id: EDGE, state: stateOf(point(start, 1), dropBefore) },
            { id: GONE, state: stateOf(point(start, 1), dropBefore - 1) },
          ],
          points: [
            ...points.map((p) => ({ id: KEPT, point: p })),
            { id: GONE, point: point(start, 1) },
            { id: EDGE, point: point(start, 1) },
          ],
          listings: [
            listed('shanghai', KEPT, start, 'nowplaying'),
            listed('shanghai', GONE, start, 'nowplaying'),
            listed('beijing', GONE, start, 'upcoming'),
          ],
          cards: [KEPT, GONE].map((id) => ({ id, movie: makeMovie(id) })),
        }),
      );
      await backend.prune({ now, dropBefore });
      expect([...(await backend.readCards([KEPT, GONE])).keys()]).toEqual([KEPT]);
      const thinned = thinPoints(points, now);
      expect(thinned.length).toBeLessThan(points.length / 2);
      expect(await backend.readPoints(KEPT, 0)).toEqual(thinned);
      expect([...(await backend.readFilms([KEPT, EDGE, GONE])).keys()].sort()).toEqual([KEPT, EDGE]);
      expect(await backend.readPoints(GONE, 0)).toEqual([]);
      expect(await backend.readPoints(EDGE, 0)).toEqual([point(start, 1)]);
      expect(byFilm((await backend.readCity('shanghai')).listings)).toEqual({
        [KEPT]: [{ at: start, list: 'nowplaying' }],
      });
      expect(await backend.readListing('beijing', GONE)).toEqual([]);
      // Pruning again changes nothing.
      await backend.prune({ now, dropBefore });
      expect(await backend.readPoints(KEPT, 0)).toEqual(thinned);
    });

    it('writes a batch whole: all of it, or nothing of it when a part cannot be stored', async () => {
      const film = stateOf(point(start, 1));
      const parts = {
        films: [{ id: '1', state: film }],
        points: [{ id: '1', point: point(start, 1) }],
        listings: [listed('shanghai', '1', start, 'nowplaying')],
      };
      await expect(
        backend.write(
          batchOf({
            ...parts,
            listings: [...parts.listings, listed('shanghai', '2', Number.NaN, 'nowplaying')],
            cityStarted: { city: 'shanghai', at: start },
          }),
        ),
      ).rejects.toThrow();
      expect((await backend.readFilms(['1'])).size).toBe(0);
      expect(await backend.readPoints('1', 0)).toEqual([]);
      expect(await backend.readCity('shanghai')).toEqual({ startedAt: null, listings: new Map() });

      await backend.write(batchOf({ ...parts, cityStarted: { city: 'shanghai', at: start } }));
      expect(await backend.readFilms(['1'])).toEqual(new Map([['1', film]]));
      expect(await backend.readPoints('1', 0)).toEqual([point(start, 1)]);
      expect(await backend.readCity('shanghai')).toEqual({
        startedAt: start,
        listings: new Map([['1', [{ at: start, list: 'nowplaying' }]]]),
      });
    });
  });
}
