import * as z from 'zod/mini';
import { LIMITS } from './limits';
import { trendSchema } from './trend';

// No `server-only`: the browser parses events with these schemas too. Field order is the JSON's
// order: parsed values are serialised again, and the public shapes must not change byte for byte.

const text = (max: number) => z.string().check(z.maxLength(max));
const names = z.array(text(LIMITS.entryChars)).check(z.maxLength(LIMITS.listEntries));
const count = z.nullable(z.int().check(z.nonnegative()));

/** A Douban subject id: 1 to 20 digits. */
export const movieIdSchema = z.string().check(z.regex(new RegExp(`^\\d{1,${LIMITS.idDigits}}$`)));

/** Which list of Douban's page a movie came from. */
export const movieCategorySchema = z.enum(['nowplaying', 'upcoming']);
export type MovieCategory = z.infer<typeof movieCategorySchema>;

/** One movie as Douban's now-showing page describes it. */
export const movieSchema = z.object({
  /** Douban subject id, digits only (e.g. "36154853"). Stable key for diffs and React. */
  id: movieIdSchema,
  category: movieCategorySchema,
  /** Never empty, at most 500 characters. */
  title: z.string().check(z.minLength(1), z.maxLength(LIMITS.titleChars)),
  /** 0–10 with one decimal, or `null` when Douban has too few ratings (never 0). Upcoming: always null. */
  score: z.nullable(z.number().check(z.positive(), z.lte(10))),
  /** Number of ratings; `null` for upcoming movies, which Douban does not rate. */
  votes: count,
  /** Star level 0–50 in steps of 5 as Douban's `allstarNN` class; `null` when unrated. */
  stars: z.nullable(z.int().check(z.gte(0), z.lte(50), z.multipleOf(5))),
  /** Release year, e.g. 2024; `null` when Douban omits it (upcoming movies). */
  year: z.nullable(z.int().check(z.gte(1000), z.lte(9999))),
  /** Duration text as Douban prints it, e.g. "119分钟(中国大陆)"; `null` when missing. */
  duration: z.nullable(text(LIMITS.textChars)),
  /** At most 100 entries of at most 200 characters each, like `directors` and `actors`. */
  regions: names,
  directors: names,
  actors: names,
  /** Douban's poster URL (https://imgN.doubanio.com/view/...); fetch it through /api/poster. */
  posterUrl: z.nullable(text(LIMITS.textChars)),
  /** The movie's Douban page. */
  url: text(LIMITS.textChars),
  /** Douban's ticket link, `null` when the page has none (some upcoming movies). */
  ticketUrl: z.nullable(text(LIMITS.textChars)),
  /** Upcoming only: release date text such as "12月06日上映". */
  releaseDate: z.nullable(text(LIMITS.textChars)),
  /** Upcoming only: the "想看" (want to see) count. */
  wish: count,
  /**
   * What the server has seen of this movie over time (see `trendSchema`); left out where nothing is
   * recorded (saved boards, a page before its first poll was recorded).
   */
  trend: z.optional(trendSchema),
});
export type Movie = z.infer<typeof movieSchema>;

/** A list of movies, at most as many as a board holds. */
export const moviesSchema = z.array(movieSchema).check(z.maxLength(LIMITS.boardMovies));

/** The ids of a list of movies, at most as many as a board holds. */
export const movieIdsSchema = z.array(movieIdSchema).check(z.maxLength(LIMITS.boardMovies));
