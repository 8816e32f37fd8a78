import { describe, expect, it } from 'vitest';
import type { Movie } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import {
  arrangeMovies,
  fitSortToTab,
  isSortOffered,
  resolveSort,
  SORT_KEYS,
  type SortKey,
} from './arrange-movies';
import { DEFAULT_BOARD_VIEW } from './board-view';
import { createMovieFilter } from './create-movie-filter';

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

const order = (movies: Movie[], sort: SortKey) =>
  arrangeMovies({ movies, leaving: [], sort, today: AT }).map((row) => row.movie.id);

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

const upcoming = (id: string, { wish, releaseDate }: { wish: number | null; releaseDate: string | null }) =>
  makeMovie(id, { category: 'upcoming', score: null, votes: null, stars: null, wish, releaseDate });

describe('arrangeMovies, upcoming movies', () => {
  const movies = [
    upcoming('jan', { wish: 50, releaseDate: '01月03日上映' }),
    upcoming('dec-13', { wish: null, releaseDate: '12月13日上映' }),
    upcoming('unknown', { wish: 9_000, releaseDate: '待定' }),
    upcoming('dec-06', { wish: 286_370, releaseDate: '12月06日上映' }),
    upcoming('none', { wish: 6_847, releaseDate: null }),
  ];
  // The board's fetch time: 2026-11-28, a month before; a December page would read January as next year.

  it('sorts by 想看, unknown counts last', () => {
    expect(order(movies, 'wish')).toEqual(['dec-06', 'unknown', 'none', 'jan', 'dec-13']);
  });

  it('sorts by release date, the soonest first, next January after December, unknown dates last', () => {
    expect(order(movies, 'release')).toEqual(['dec-06', 'dec-13', 'jan', 'unknown', 'none']);
  });

  it('counts 想看 as votes for upcoming movies', () => {
    expect(order(movies, 'votes')).toEqual(order(movies, 'wish'));
  });
});

describe('arrangeMovies with a filter', () => {
  it('keeps what the filter keeps, in the sort asked for, leaving movies included', () => {
    const movies = [
      makeMovie('cn-low', { score: 6, regions: ['中国大陆'] }),
      makeMovie('us', { score: 9, regions: ['美国'] }),
      makeMovie('cn-high', { score: 8.5, regions: ['中国香港'] }),
    ];
    const filter = createMovieFilter({ view: { ...DEFAULT_BOARD_VIEW, region: 'cn', min: 6 }, marks: null });
    const rows = arrangeMovies({
      movies,
      leaving: [{ movie: makeMovie('cn-gone', { score: 7, regions: ['中国台湾'] }), index: 0 }],
      sort: 'score',
      filter,
      today: AT,
    });
    expect(rows.map((row) => [row.movie.id, row.leaving])).toEqual([
      ['cn-high', false],
      ['cn-gone', true],
      ['cn-low', false],
    ]);
  });
});

describe('isSortOffered', () => {
  it('offers the trend sorts only on a board with trends, and no score move for upcoming movies', () => {
    expect(isSortOffered({ key: 'growth', category: 'nowplaying', trends: false })).toBe(false);
    expect(isSortOffered({ key: 'growth', category: 'upcoming', trends: true })).toBe(true);
    expect(isSortOffered({ key: 'move', category: 'nowplaying', trends: true })).toBe(true);
    expect(isSortOffered({ key: 'move', category: 'upcoming', trends: true })).toBe(false);
  });

  it('offers no score and no votes on 即将上映, where Douban gives films neither', () => {
    for (const trends of [false, true]) {
      expect(isSortOffered({ key: 'score', category: 'upcoming', trends })).toBe(false);
      expect(isSortOffered({ key: 'votes', category: 'upcoming', trends })).toBe(false);
      expect(isSortOffered({ key: 'score', category: 'nowplaying', trends })).toBe(true);
      expect(isSortOffered({ key: 'score', category: 'left', trends })).toBe(true);
    }
  });

  it('offers no trend sort on 最近下映, whose trends ended when the films left', () => {
    expect(isSortOffered({ key: 'growth', category: 'left', trends: true })).toBe(false);
    expect(isSortOffered({ key: 'move', category: 'left', trends: true })).toBe(false);
  });

  it('offers Douban order and titles everywhere', () => {
    for (const category of ['nowplaying', 'upcoming', 'left'] as const) {
      expect(isSortOffered({ key: 'default', category, trends: false })).toBe(true);
      expect(isSortOffered({ key: 'title', category, trends: false })).toBe(true);
    }
  });

  it('offers 想看 and the release date for upcoming movies, votes for the others', () => {
    expect(isSortOffered({ key: 'wish', category: 'upcoming', trends: false })).toBe(true);
    expect(isSortOffered({ key: 'release', category: 'upcoming', trends: false })).toBe(true);
    expect(isSortOffered({ key: 'votes', category: 'upcoming', trends: false })).toBe(false);
    for (const category of ['nowplaying', 'left'] as const) {
      expect(isSortOffered({ key: 'wish', category, trends: true })).toBe(false);
      expect(isSortOffered({ key: 'release', category, trends: true })).toBe(false);
      expect(isSortOffered({ key: 'votes', category, trends: true })).toBe(true);
    }
  });
});

describe('fitSortToTab', () => {
  it('keeps a sort where it means something, swaps votes and 想看, else takes Douban order', () => {
    expect(fitSortToTab({ sort: 'score', tab: 'nowplaying' })).toBe('score');
    expect(fitSortToTab({ sort: 'score', tab: 'upcoming' })).toBe('default');
    expect(fitSortToTab({ sort: 'votes', tab: 'upcoming' })).toBe('wish');
    expect(fitSortToTab({ sort: 'wish', tab: 'left' })).toBe('votes');
    expect(fitSortToTab({ sort: 'release', tab: 'nowplaying' })).toBe('default');
    expect(fitSortToTab({ sort: 'move', tab: 'upcoming' })).toBe('default');
    // Trends are the board's, not the URL's: a trend sort fits its tab whatever the board holds.
    expect(fitSortToTab({ sort: 'growth', tab: 'upcoming' })).toBe('growth');
  });

  it('always gives a sort the tab offers on a board with trends', () => {
    for (const category of ['nowplaying', 'upcoming', 'left'] as const) {
      for (const sort of SORT_KEYS) {
        const key = fitSortToTab({ sort, tab: category });
        expect(isSortOffered({ key, category, trends: true }), `${sort} on ${category}`).toBe(true);
      }
    }
  });
});

describe('resolveSort', () => {
  it('shows the chosen sort where offered, votes and 想看 for each other, else Douban order', () => {
    expect(resolveSort({ key: 'score', category: 'nowplaying', trends: false })).toBe('score');
    expect(resolveSort({ key: 'votes', category: 'upcoming', trends: false })).toBe('wish');
    expect(resolveSort({ key: 'wish', category: 'nowplaying', trends: false })).toBe('votes');
    expect(resolveSort({ key: 'release', category: 'left', trends: true })).toBe('default');
    expect(resolveSort({ key: 'growth', category: 'nowplaying', trends: false })).toBe('default');
    expect(resolveSort({ key: 'score', category: 'upcoming', trends: true })).toBe('default');
  });
});
