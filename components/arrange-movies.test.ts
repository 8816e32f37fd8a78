import { describe, expect, it } from 'vitest';
import type { Movie } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { arrangeMovies, isSortOffered } from './arrange-movies';

const AT = Date.UTC(2026, 10, 28);

function moved(
  id: string,
  { score, votes }: { score: [number, number] | null; votes: [number, number] | null },
): Movie {
  return makeMovie(id, {
    score: score?.[1] ?? null,
    votes: votes?.[1] ?? null,
    trend: {
      seenAt: AT,
      base: {
        at: AT,
        ...(score ? { score: score[0] } : {}),
        ...(votes ? { votes: votes[0] } : {}),
      },
    },
  });
}

const order = (movies: Movie[], sort: 'growth' | 'move') =>
  arrangeMovies({ movies, leaving: [], sort, query: '' }).map((row) => row.movie.id);

describe('arrangeMovies, by trend', () => {
  it('puts the biggest vote growth since the base first, movies without a trend last', () => {
    const movies = [
      moved('small', { score: [7, 7], votes: [100, 150] }),
      makeMovie('none', { votes: 1_000_000 }),
      moved('big', { score: [7, 7], votes: [100, 20_100] }),
      moved('unknown', { score: [7, 7], votes: null }),
      moved('flat', { score: [7, 7], votes: [100, 100] }),
    ];
    expect(order(movies, 'growth')).toEqual(['big', 'small', 'flat', 'none', 'unknown']);
  });

  it('sorts upcoming movies by their 想看 growth', () => {
    const upcoming = (id: string, from: number, to: number) =>
      makeMovie(id, {
        category: 'upcoming',
        score: null,
        votes: null,
        stars: null,
        wish: to,
        trend: { seenAt: AT, base: { at: AT, wish: from } },
      });
    expect(order([upcoming('a', 10, 20), upcoming('b', 10, 3_000), upcoming('c', 10, 9)], 'growth')).toEqual([
      'b',
      'a',
      'c',
    ]);
  });

  it('puts the biggest score move first, either way, the rise before an equal fall', () => {
    const movies = [
      moved('up-small', { score: [7, 7.1], votes: null }),
      moved('down-big', { score: [8, 7.5], votes: null }),
      moved('rated-now', { score: null, votes: null }),
      moved('down', { score: [7, 6.8], votes: null }),
      moved('up', { score: [7, 7.2], votes: null }),
      moved('still', { score: [7, 7], votes: null }),
    ];
    expect(order(movies, 'move')).toEqual(['down-big', 'up', 'down', 'up-small', 'still', 'rated-now']);
  });

  it('keeps Douban order among equals', () => {
    const movies = ['1', '2', '3'].map((id) => moved(id, { score: [7, 7.3], votes: [5, 5] }));
    expect(order(movies, 'move')).toEqual(['1', '2', '3']);
    expect(order(movies, 'growth')).toEqual(['1', '2', '3']);
  });
});

describe('isSortOffered', () => {
  it('offers the trend sorts only on a board with trends, and no score move for upcoming movies', () => {
    expect(isSortOffered({ key: 'growth', category: 'nowplaying', trends: false })).toBe(false);
    expect(isSortOffered({ key: 'growth', category: 'upcoming', trends: true })).toBe(true);
    expect(isSortOffered({ key: 'move', category: 'nowplaying', trends: true })).toBe(true);
    expect(isSortOffered({ key: 'move', category: 'upcoming', trends: true })).toBe(false);
    expect(isSortOffered({ key: 'score', category: 'upcoming', trends: false })).toBe(true);
  });
});
