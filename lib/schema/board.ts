import * as z from 'zod/mini';
import { LIMITS } from './limits';
import { movieIdsSchema, movieSchema, moviesSchema } from './movie';
import type { NowPlayingPage } from './now-playing-page';

// No `server-only`: the browser parses events with these schemas too. Field order is the JSON's
// order (see movie.ts).

const text = z.string().check(z.maxLength(LIMITS.textChars));

/** A Douban city uid as the API takes it: pinyin or digits, e.g. "shanghai", "118378". */
export const citySlugSchema = z.string().check(z.regex(/^[a-z0-9]{1,40}$/));

/** A board's version: only grows, per city, also across restarts; the SSE `id`. */
export const versionSchema = z.int().check(z.positive());

/** Where the board's movies come from: a live Douban fetch, or the recording bundled with the app. */
export const boardSourceSchema = z.enum(['douban', 'saved', 'none']);
export type BoardSource = z.infer<typeof boardSourceSchema>;

/** How long a movie that left the city's lists stays on its board, in 最近下映. */
export const RECENTLY_LEFT_MS = 3 * 86_400_000;
/** The most movies 最近下映 holds (the newest exits): a page that drops its films cannot swell it. */
export const LEFT_MAX = 60;

/** 最近下映, newest exit first: each movie as it was last listed, with `trend.leftAt`. */
export const leftMoviesSchema = z.array(movieSchema).check(z.maxLength(LEFT_MAX));

/** GET /api/movies and the `snapshot` SSE event. */
export const boardSnapshotSchema = z.object({
  city: citySlugSchema,
  version: versionSchema,
  /** ISO time of the fetch these movies came from (for saved data: when the page was recorded). */
  fetchedAt: z.nullable(text),
  /** True when the last poll failed or the movies are saved data rather than a live fetch. */
  stale: z.boolean(),
  source: boardSourceSchema,
  nowPlaying: moviesSchema,
  upcoming: moviesSchema,
  /**
   * 最近下映: the movies that left both lists within `RECENTLY_LEFT_MS`, newest exit first, each as it
   * was last listed, its `trend` as it was then with `leftAt`. Left out when there are none (saved
   * boards and HISTORY=off never have any).
   */
  left: z.optional(leftMoviesSchema),
});
export type BoardSnapshot = z.infer<typeof boardSnapshotSchema>;

/** What a board lists: Douban's two lists and, from the history, 最近下映. */
export type BoardLists = NowPlayingPage & { left?: BoardSnapshot['left'] };

/** The ids of each list, in Douban's order. */
export const boardOrderSchema = z.object({ nowPlaying: movieIdsSchema, upcoming: movieIdsSchema });
export type BoardOrder = z.infer<typeof boardOrderSchema>;

/** The `update` SSE event: only what changed between `version - n` and `version`. */
export const boardUpdateSchema = z.object({
  city: citySlugSchema,
  version: versionSchema,
  /** ISO time of the fetch that produced this change. */
  fetchedAt: text,
  added: moviesSchema,
  updated: moviesSchema,
  removed: movieIdsSchema,
  /**
   * Only when Douban's order changed in a way the change alone does not explain: the ids of each list
   * in Douban's order. Without it, updated movies keep their place and added ones lead their list.
   */
  order: z.optional(boardOrderSchema),
  /** Only when 最近下映 changed: all of it, as in the snapshot (`[]` when it emptied). */
  left: z.optional(leftMoviesSchema),
});
export type BoardUpdate = z.infer<typeof boardUpdateSchema>;

/**
 * `live`: Douban answers and the board is current. `stale`: Douban does not answer; the board is the
 * last good one. `degraded`: this server lost the store it shares with the other instances (Redis);
 * the board is the last one it had, and it catches up when the store returns.
 */
export const boardStateSchema = z.enum(['live', 'stale', 'degraded']);
export type BoardState = z.infer<typeof boardStateSchema>;

/** The `status` SSE event, sent when the board's health changes. */
export const boardStatusSchema = z.object({
  city: citySlugSchema,
  state: boardStateSchema,
  /** ISO time since when this state holds. */
  since: text,
  /**
   * Why the board is not live: Douban's failure (e.g. "http-403", "timeout", "not-a-nowplaying-page")
   * or "redis-unavailable" when degraded; null when live, or "douban-budget" when live but polled
   * less often than the interval, for Douban's request budget (DOUBAN_MAX_RPM).
   */
  reason: z.nullable(text),
  /** ISO time of the last successful fetch, null if there never was one. */
  lastSuccessAt: z.nullable(text),
});
export type BoardStatus = z.infer<typeof boardStatusSchema>;
