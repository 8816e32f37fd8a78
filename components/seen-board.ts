import * as z from 'zod/mini';
import { citySlugSchema } from '@/lib/schema/board';
import { LIMITS } from '@/lib/schema/limits';
import { movieCategorySchema, movieIdSchema } from '@/lib/schema/movie';
import type { BoardSnapshot } from '@/lib/types';

/** The most cities whose board a browser remembers; the one seen longest ago is forgotten first. */
export const SEEN_CITIES_MAX = 8;

/** One film as the viewer last saw it: what the summary compares, nothing more (~40 bytes). */
const seenFilmSchema = z.tuple([
  movieIdSchema,
  movieCategorySchema,
  z.nullable(z.number().check(z.positive(), z.lte(10))),
  z.string().check(z.maxLength(LIMITS.titleChars)),
]);
export type SeenFilm = z.infer<typeof seenFilmSchema>;

/** A city's board as the viewer last saw it, and when. */
export const seenBoardSchema = z.object({
  city: citySlugSchema,
  at: z.int().check(z.nonnegative()),
  films: z.array(seenFilmSchema).check(z.maxLength(LIMITS.boardMovies)),
});
export type SeenBoard = z.infer<typeof seenBoardSchema>;

/** localStorage `now-showing:seen-board:v1`: the last seen board of each city, most recent first. */
export const seenBoardsSchema = z.object({
  cities: z.array(seenBoardSchema).check(z.maxLength(SEEN_CITIES_MAX)),
});
export type SeenBoards = z.infer<typeof seenBoardsSchema>;

export const NO_SEEN_BOARDS: SeenBoards = { cities: [] };

export function findSeenBoard({ seen, city }: { seen: SeenBoards; city: string }): SeenBoard | undefined {
  return seen.cities.find((board) => board.city === city);
}

/** The films of a board, compactly: 正在上映 and 即将上映 (最近下映 is what left, not what was listed). */
export function compactBoard({ board, at }: { board: BoardSnapshot; at: number }): SeenBoard {
  return {
    city: board.city,
    at,
    films: [...board.nowPlaying, ...board.upcoming].map((movie) => [
      movie.id,
      movie.category,
      movie.score,
      movie.title,
    ]),
  };
}

/** The remembered boards with `board` as its city's, first; past `SEEN_CITIES_MAX`, the oldest go. */
export function rememberBoard({ seen, board }: { seen: SeenBoards; board: SeenBoard }): SeenBoards {
  const others = seen.cities.filter((other) => other.city !== board.city);
  return { cities: [board, ...others].slice(0, SEEN_CITIES_MAX) };
}
