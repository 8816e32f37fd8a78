import { describe, expect, it } from 'vitest';
import type { Movie, NowPlayingPage } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { makeRandomBoards } from '@/test/make-random-boards';
import { applyMovieDiff } from './apply-movie-diff';
import { diffBoards } from './diff-boards';
import { orderOf } from './order-of';

const CASES = 5_000;
const seeds = Array.from({ length: CASES }, (_, index) => index + 1);
const movie = makeMovie;
const upcoming = (id: string) =>
  makeMovie(id, { category: 'upcoming', score: null, votes: null, stars: null });
const ids = (list: Movie[]) => list.map((m) => m.id);
// What another instance applies: the update's JSON, parsed (no `order` key when it was left out).
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('diffBoards over random boards', () => {
  it("gives a diff that turns the old board into the new one, both lists in Douban's order", () => {
    let withOrder = 0;
    for (const seed of seeds) {
      const { before, after } = makeRandomBoards(seed);
      const diff = diffBoards(before, after);
      if (diff.order) withOrder += 1;
      expect(applyMovieDiff(before, diff), `seed ${seed}`).toStrictEqual(after);
      expect(applyMovieDiff(overTheWire(before), overTheWire(diff)), `seed ${seed}`).toStrictEqual(after);
    }
    // Both ways of reaching Douban's order must have been tried many times.
    expect(withOrder).toBeGreaterThan(CASES / 5);
    expect(CASES - withOrder).toBeGreaterThan(CASES / 5);
  });

  it('gives the same board when the order is always sent along', () => {
    for (const seed of seeds) {
      const { before, after } = makeRandomBoards(seed);
      const diff = { ...diffBoards(before, after), order: orderOf(after) };
      expect(applyMovieDiff(before, diff), `seed ${seed}`).toStrictEqual(after);
    }
  });

  it('sends the order only when the movie diff alone would not give it', () => {
    for (const seed of seeds) {
      const { before, after } = makeRandomBoards(seed);
      const { order, ...movies } = diffBoards(before, after);
      if (!order) continue;
      expect(orderOf(applyMovieDiff(before, movies)), `seed ${seed}`).not.toEqual(orderOf(after));
      expect(order).toEqual(orderOf(after));
    }
  });

  it('finds no change and no order between a board and a fresh copy of it', () => {
    for (const seed of seeds.slice(0, 500)) {
      const { before } = makeRandomBoards(seed);
      expect(diffBoards(before, structuredClone(before))).toStrictEqual({
        added: [],
        updated: [],
        removed: [],
      });
    }
  });
});

describe('diffBoards', () => {
  const expectRoundTrip = (before: NowPlayingPage, after: NowPlayingPage) => {
    const diff = diffBoards(before, after);
    expect(applyMovieDiff(before, diff)).toStrictEqual(after);
    expect(applyMovieDiff(before, overTheWire(diff))).toStrictEqual(after);
    return diff;
  };

  it('puts a film that opened where Douban lists it among the now-playing ones', () => {
    const diff = expectRoundTrip(
      { nowPlaying: [movie('1'), movie('2')], upcoming: [upcoming('8'), upcoming('9')] },
      { nowPlaying: [movie('1'), movie('9'), movie('2')], upcoming: [upcoming('8')] },
    );
    expect(ids(diff.updated)).toEqual(['9']);
    expect(diff.order).toEqual({ nowPlaying: ['1', '9', '2'], upcoming: ['8'] });
  });

  it('sends a pure reorder as an order with no movie changes', () => {
    const diff = expectRoundTrip(
      { nowPlaying: [movie('1'), movie('2'), movie('3')], upcoming: [upcoming('8'), upcoming('9')] },
      { nowPlaying: [movie('3'), movie('1'), movie('2')], upcoming: [upcoming('8'), upcoming('9')] },
    );
    expect(diff).toEqual({
      added: [],
      updated: [],
      removed: [],
      order: { nowPlaying: ['3', '1', '2'], upcoming: ['8', '9'] },
    });
  });

  it('puts an added movie in the middle of a list where Douban lists it', () => {
    const diff = expectRoundTrip(
      { nowPlaying: [movie('1'), movie('2')], upcoming: [] },
      { nowPlaying: [movie('1'), movie('4'), movie('2')], upcoming: [] },
    );
    expect(ids(diff.added)).toEqual(['4']);
    expect(diff.order?.nowPlaying).toEqual(['1', '4', '2']);
  });

  it('leaves the order out when the change alone gives it: new films first, updated ones in place', () => {
    const diff = expectRoundTrip(
      { nowPlaying: [movie('1'), movie('2'), movie('3')], upcoming: [upcoming('9')] },
      { nowPlaying: [movie('9'), movie('4'), movie('1', { score: 8 }), movie('3')], upcoming: [] },
    );
    expect(diff.order).toBeUndefined();
    expect(ids(diff.added)).toEqual(['4']);
    expect(ids(diff.updated)).toEqual(['9', '1']);
    expect(diff.removed).toEqual(['2']);
  });

  it('empties and fills whole lists', () => {
    expectRoundTrip(
      { nowPlaying: [movie('1'), movie('2')], upcoming: [] },
      { nowPlaying: [], upcoming: [upcoming('2'), upcoming('5')] },
    );
    expectRoundTrip({ nowPlaying: [], upcoming: [upcoming('2')] }, { nowPlaying: [], upcoming: [] });
  });
});

describe('diffBoards and 最近下映', () => {
  const gone = (id: string, leftAt: number) =>
    movie(id, { trend: { seenAt: 1, leftAt, base: { at: 1, score: 7 } } });
  const board = (left?: Movie[]): NowPlayingPage & { left?: Movie[] } => ({
    nowPlaying: [movie('1')],
    upcoming: [],
    ...(left && { left }),
  });

  it('sends 最近下映 whole when it changed, and nothing of it when it did not', () => {
    expect(diffBoards(board([gone('5', 10)]), board([gone('5', 10)])).left).toBeUndefined();
    expect(diffBoards(board(), board()).left).toBeUndefined();
    expect(diffBoards(board(), board([gone('5', 10)])).left).toEqual([gone('5', 10)]);
    expect(diffBoards(board([gone('5', 10)]), board([gone('6', 20), gone('5', 10)])).left).toEqual([
      gone('6', 20),
      gone('5', 10),
    ]);
    // Reordered, or a trend that changed, is a change too; emptied is sent as [].
    expect(
      diffBoards(board([gone('5', 10), gone('6', 20)]), board([gone('6', 20), gone('5', 10)])).left,
    ).toHaveLength(2);
    expect(diffBoards(board([gone('5', 10)]), board([gone('5', 11)])).left).toEqual([gone('5', 11)]);
    expect(diffBoards(board([gone('5', 10)]), board()).left).toEqual([]);
  });

  it('gives, applied over the wire, the new board with its 最近下映 (left out when empty)', () => {
    const cases: Array<[Movie[] | undefined, Movie[] | undefined]> = [
      [undefined, [gone('5', 10)]],
      [[gone('5', 10)], [gone('6', 20), gone('5', 10)]],
      [[gone('5', 10)], undefined],
      [[gone('5', 10)], [gone('5', 10)]],
    ];
    for (const [before, after] of cases) {
      const diff = diffBoards(board(before), board(after));
      expect(applyMovieDiff(overTheWire(board(before)), overTheWire(diff))).toStrictEqual(board(after));
    }
  });
});
