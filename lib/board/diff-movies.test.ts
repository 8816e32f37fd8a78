import { describe, expect, it } from 'vitest';
import type { Movie } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { diffMovies, isEmptyDiff } from './diff-movies';

// Every field set, so a change to any of them is a change the diff must see.
const movie = (id: string, overrides: Partial<Movie> = {}): Movie =>
  makeMovie(id, {
    score: 7.5,
    votes: 1000,
    duration: '100分钟',
    regions: ['中国大陆'],
    directors: ['导演'],
    actors: ['甲', '乙'],
    posterUrl: `https://img1.doubanio.com/view/photo/s_ratio_poster/public/p${id}.jpg`,
    ...overrides,
  });

describe('diffMovies', () => {
  it('finds nothing between equal boards, even when the objects differ', () => {
    const diff = diffMovies([movie('1'), movie('2')], [movie('1'), movie('2')]);
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it('compares trends by value: an equal trend built afresh is no change, a moved base is one', () => {
    const trend = (votes: number) => ({
      seenAt: 1,
      base: { at: 1, votes },
      spark: { of: 'votes' as const, values: [1, 2] },
    });
    expect(
      isEmptyDiff(diffMovies([movie('1', { trend: trend(5) })], [movie('1', { trend: trend(5) })])),
    ).toBe(true);
    const diff = diffMovies([movie('1', { trend: trend(5) })], [movie('1', { trend: trend(6) })]);
    expect(diff.updated.map((m) => m.trend?.base.votes)).toEqual([6]);
  });

  it('reports added movies in the order of the new board', () => {
    const diff = diffMovies([movie('1')], [movie('3'), movie('1'), movie('2')]);
    expect(diff.added.map((m) => m.id)).toEqual(['3', '2']);
    expect(diff.updated).toEqual([]);
    expect(diff.removed).toEqual([]);
  });

  it('reports removed movies by id only', () => {
    const diff = diffMovies([movie('1'), movie('2')], [movie('2')]);
    expect(diff.removed).toEqual(['1']);
    expect(diff.added).toEqual([]);
  });

  it('reports a changed score, vote count or list field as an update carrying the whole new movie', () => {
    const diff = diffMovies(
      [movie('1'), movie('2'), movie('3')],
      [movie('1', { score: 7.6 }), movie('2', { votes: 1001 }), movie('3', { actors: ['甲', '丙'] })],
    );
    expect(diff.updated.map((m) => [m.id, m.score, m.votes, m.actors])).toEqual([
      ['1', 7.6, 1000, ['甲', '乙']],
      ['2', 7.5, 1001, ['甲', '乙']],
      ['3', 7.5, 1000, ['甲', '丙']],
    ]);
  });

  it('treats a score becoming unrated as an update', () => {
    const diff = diffMovies([movie('1')], [movie('1', { score: null, stars: null })]);
    expect(diff.updated).toHaveLength(1);
    expect(diff.updated[0]?.score).toBeNull();
  });

  it('treats a move from upcoming to now playing as an update, not a remove and an add', () => {
    const diff = diffMovies([movie('1', { category: 'upcoming' })], [movie('1')]);
    expect(diff).toEqual({ added: [], updated: [movie('1')], removed: [] });
  });

  it('sizes the diff by the change, not by the board', () => {
    const before = Array.from({ length: 100 }, (_, i) => movie(String(i)));
    const after = before.map((m) => (m.id === '42' ? { ...m, score: 9.9 } : m));
    const diff = diffMovies(before, after);
    expect(diff.updated).toHaveLength(1);
    expect(JSON.stringify(diff).length).toBeLessThan(1000);
  });

  it('sees the same trend whatever order its keys were built in (the board keeps its copy in the schema’s order)', () => {
    const built = makeMovie('1', {
      trend: { seenAt: 1, base: { at: 1, score: 7 }, playingAt: 5, leftAt: 9 },
    });
    const parsed = makeMovie('1', {
      trend: { seenAt: 1, playingAt: 5, leftAt: 9, base: { score: 7, at: 1 } },
    });
    expect(diffMovies([parsed], [built]).updated).toEqual([]);
    const moved = makeMovie('1', {
      trend: { seenAt: 1, playingAt: 6, leftAt: 9, base: { score: 7, at: 1 } },
    });
    expect(diffMovies([parsed], [moved]).updated).toEqual([moved]);
  });
});
