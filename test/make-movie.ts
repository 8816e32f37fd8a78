import type { Movie } from '@/lib/types';

/** A rated now-playing movie for unit tests; `overrides` set whatever a test is about. */
export function makeMovie(id: string, overrides: Partial<Movie> = {}): Movie {
  return {
    id,
    category: 'nowplaying',
    title: `电影${id}`,
    score: 7,
    votes: 100,
    stars: 35,
    year: 2024,
    duration: null,
    regions: [],
    directors: [],
    actors: [],
    posterUrl: null,
    url: `https://movie.douban.com/subject/${id}/`,
    ticketUrl: null,
    releaseDate: null,
    wish: null,
    ...overrides,
  };
}
