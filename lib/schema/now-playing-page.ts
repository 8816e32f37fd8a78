import * as z from 'zod/mini';
import { LIMITS } from './limits';
import { moviesSchema } from './movie';

/**
 * The two lists of a Douban now-showing page, as the parser returns them: each movie in the list it
 * came from, every id once across both lists, and at most `LIMITS.boardMovies` movies in all.
 */
export const nowPlayingPageSchema = z.object({ nowPlaying: moviesSchema, upcoming: moviesSchema }).check(
  z.refine(
    ({ nowPlaying, upcoming }) => nowPlaying.length + upcoming.length <= LIMITS.boardMovies,
    `more than ${LIMITS.boardMovies} movies`,
  ),
  z.refine(
    ({ nowPlaying, upcoming }) =>
      nowPlaying.every((movie) => movie.category === 'nowplaying') &&
      upcoming.every((movie) => movie.category === 'upcoming'),
    'a movie in the other category’s list',
  ),
  z.refine(
    ({ nowPlaying, upcoming }) =>
      new Set([...nowPlaying, ...upcoming].map((movie) => movie.id)).size ===
      nowPlaying.length + upcoming.length,
    'an id listed twice',
  ),
);
export type NowPlayingPage = z.infer<typeof nowPlayingPageSchema>;
