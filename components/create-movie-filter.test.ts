import { describe, expect, it } from 'vitest';
import type { Movie } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { type BoardView, DEFAULT_BOARD_VIEW } from './board-view';
import { createMovieFilter } from './create-movie-filter';
import { type MarkedFilms, NO_MARKED_FILMS } from './marked-films';

const MOVIES: Movie[] = [
  makeMovie('good-cn', { score: 9.1, regions: ['中国大陆'], title: '好东西', directors: ['邵艺辉'] }),
  makeMovie('fair-hk', { score: 7.4, regions: ['中国香港', '中国大陆'], actors: ['刘德华'] }),
  makeMovie('fair-us', { score: 7.5, regions: ['美国', '中国大陆'] }),
  makeMovie('unrated-jp', { score: null, votes: null, stars: null, regions: ['日本'] }),
  makeMovie('no-region', { score: 8, regions: [] }),
  makeMovie('upcoming-tw', {
    category: 'upcoming',
    score: null,
    votes: null,
    stars: null,
    wish: 100,
    regions: ['中国台湾'],
  }),
];

const kept = (view: Partial<BoardView>, marks: MarkedFilms | null = NO_MARKED_FILMS) =>
  MOVIES.filter(createMovieFilter({ view: { ...DEFAULT_BOARD_VIEW, ...view }, marks })).map(
    (movie) => movie.id,
  );

describe('createMovieFilter', () => {
  it('keeps everything by default', () => {
    expect(kept({})).toEqual(MOVIES.map((movie) => movie.id));
  });

  it('keeps scores at or above the minimum, unrated and upcoming films too', () => {
    expect(kept({ min: 7.5 })).toEqual(['good-cn', 'fair-us', 'unrated-jp', 'no-region', 'upcoming-tw']);
  });

  it('hides unrated films, but never upcoming ones, which Douban does not rate', () => {
    expect(kept({ rated: true })).toEqual(['good-cn', 'fair-hk', 'fair-us', 'no-region', 'upcoming-tw']);
    expect(kept({ rated: true, min: 8 })).toEqual(['good-cn', 'no-region', 'upcoming-tw']);
  });

  it('keeps 华语 or 外语 films by their first region, neither without one', () => {
    expect(kept({ region: 'cn' })).toEqual(['good-cn', 'fair-hk', 'upcoming-tw']);
    expect(kept({ region: 'intl' })).toEqual(['fair-us', 'unrated-jp']);
  });

  it("keeps only the viewer's followed, 想看 or 看过 films", () => {
    const marks: MarkedFilms = {
      followed: new Set(['fair-us']),
      wish: new Set(['upcoming-tw', 'good-cn']),
      seen: new Set(),
    };
    expect(kept({ mine: 'followed' }, marks)).toEqual(['fair-us']);
    expect(kept({ mine: 'wish' }, marks)).toEqual(['good-cn', 'upcoming-tw']);
    expect(kept({ mine: 'seen' }, marks)).toEqual([]);
    expect(kept({ mine: 'wish', region: 'cn', rated: true }, marks)).toEqual(['good-cn', 'upcoming-tw']);
  });

  it('does not apply the marks where they are unknown (the server)', () => {
    expect(kept({ mine: 'wish' }, null)).toEqual(MOVIES.map((movie) => movie.id));
    expect(kept({ mine: 'wish', region: 'intl' }, null)).toEqual(['fair-us', 'unrated-jp']);
  });

  it('matches the text in titles, directors and actors, ignoring case and outer spaces', () => {
    expect(kept({ q: ' 邵艺辉 ' })).toEqual(['good-cn']);
    expect(kept({ q: '刘德华' })).toEqual(['fair-hk']);
    expect(kept({ q: '好东西', region: 'intl' })).toEqual([]);
    expect(
      MOVIES.filter(createMovieFilter({ view: { ...DEFAULT_BOARD_VIEW, q: 'AVATAR' }, marks: null })),
    ).toEqual([]);
    const avatar = makeMovie('a', { title: 'Avatar' });
    expect(createMovieFilter({ view: { ...DEFAULT_BOARD_VIEW, q: 'aVaTaR' }, marks: null })(avatar)).toBe(
      true,
    );
  });
});
