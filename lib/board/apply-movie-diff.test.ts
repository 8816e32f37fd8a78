import { describe, expect, it } from 'vitest';
import type { Movie } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { applyMovieDiff } from './apply-movie-diff';
import { diffMovies } from './diff-movies';
import { orderOf } from './order-of';

const movie = makeMovie;

describe('applyMovieDiff', () => {
  it('turns the old board into one with every movie of the new board', () => {
    const before = {
      nowPlaying: [movie('1'), movie('2'), movie('3')],
      upcoming: [movie('8', { category: 'upcoming' })],
    };
    const after = {
      nowPlaying: [movie('4'), movie('1', { score: 8 }), movie('3'), movie('8')],
      upcoming: [movie('9', { category: 'upcoming' })],
    };
    const diff = diffMovies(
      [...before.nowPlaying, ...before.upcoming],
      [...after.nowPlaying, ...after.upcoming],
    );
    const applied = applyMovieDiff(before, diff);
    const ids = (list: Movie[]) => list.map((m) => m.id).sort();
    expect(ids(applied.nowPlaying)).toEqual(ids(after.nowPlaying));
    expect(ids(applied.upcoming)).toEqual(ids(after.upcoming));
    expect(applied.nowPlaying.find((m) => m.id === '1')?.score).toBe(8);
  });

  it('keeps updated movies in place and puts new ones first, as browsers do', () => {
    const applied = applyMovieDiff(
      { nowPlaying: [movie('1'), movie('2')], upcoming: [] },
      { added: [movie('3')], updated: [movie('2', { score: 9 })], removed: ['1'] },
    );
    expect(applied.nowPlaying.map((m) => [m.id, m.score])).toEqual([
      ['3', 7],
      ['2', 9],
    ]);
  });
});

describe("applyMovieDiff with Douban's order", () => {
  it('gives exactly the new page when the order is sent along', () => {
    const before = { nowPlaying: [movie('1'), movie('2'), movie('3')], upcoming: [] };
    const after = { nowPlaying: [movie('3'), movie('5'), movie('1')], upcoming: [] };
    const diff = diffMovies(before.nowPlaying, after.nowPlaying);
    const applied = applyMovieDiff(before, { ...diff, order: orderOf(after) });
    expect(applied).toEqual(after);
    expect(orderOf(applyMovieDiff(before, diff))).not.toEqual(orderOf(after));
  });
});
