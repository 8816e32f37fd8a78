import * as z from 'zod/mini';
import { LIMITS } from './limits';
import { movieIdsSchema, moviesSchema } from './movie';

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
});
export type BoardSnapshot = z.infer<typeof boardSnapshotSchema>;

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
