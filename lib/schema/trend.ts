import * as z from 'zod/mini';

// No `server-only`: the browser reads trends to draw marks and sparklines. Times are milliseconds
// since the epoch (a trend rides on every movie of a snapshot: ISO strings would cost ~12 bytes
// each, ×3 per movie). A field that has nothing to say is left out, not null, for the same reason.

const time = z.int().check(z.nonnegative());
const count = z.int().check(z.nonnegative());
const score = z.number().check(z.positive(), z.lte(10));

/** What a trend's sparkline draws: the score once rated, else the vote count, else 想看. */
export const sparkMetricSchema = z.enum(['score', 'votes', 'wish']);
export type SparkMetric = z.infer<typeof sparkMetricSchema>;

/** The most points a sparkline carries: one a day for a month. */
export const SPARK_POINTS = 31;

/**
 * What the server has seen of a movie over time, as it rides on the movie (`Movie.trend`): enough to
 * draw its marks and sparkline without asking for its history. Only from when we first saw it:
 * nothing is invented before that.
 */
export const trendSchema = z.object({
  /** When we first saw the movie in this city's lists. */
  seenAt: time,
  /** 开分: when we saw its first score, having seen it unrated before (else left out: unknown). */
  ratedAt: z.optional(time),
  /** When it entered this city's 正在上映 (left out when it was there when we first saw it). */
  playingAt: z.optional(time),
  /** Whether it came to 正在上映 from this city's 即将上映 (今日上映 when `playingAt` is today). */
  fromUpcoming: z.optional(z.boolean()),
  /** When it left all of this city's lists: only on the movies of a board's 最近下映 (`left`). */
  leftAt: z.optional(time),
  /** Its values 24 hours ago, or when we first saw it if that is later: the base of ▲▼ and +N. */
  base: z.object({
    at: time,
    score: z.optional(score),
    votes: z.optional(count),
    wish: z.optional(count),
  }),
  /**
   * A sparkline: the value of `of` at the end of each of the last days (at most 31, oldest first, the
   * last one now), left out while there are fewer than two or all are equal.
   */
  spark: z.optional(
    z.object({
      of: sparkMetricSchema,
      values: z.array(z.number().check(z.nonnegative())).check(z.maxLength(SPARK_POINTS)),
    }),
  ),
});
export type Trend = z.infer<typeof trendSchema>;

/** One recorded value set of a film: recorded when one of them changed. */
export const filmPointSchema = z.object({
  at: time,
  score: z.nullable(score),
  votes: z.nullable(count),
  wish: z.nullable(count),
});
export type FilmPoint = z.infer<typeof filmPointSchema>;

/** A film entering a list of a city's page, or leaving them all (`list: null`). */
export const listingEventSchema = z.object({
  at: time,
  list: z.nullable(z.enum(['nowplaying', 'upcoming'])),
});
export type ListingEvent = z.infer<typeof listingEventSchema>;

/** GET /api/movies/<id>/history?city=…: everything recorded of a film, and its listing in the city. */
export const filmHistorySchema = z.object({
  id: z.string(),
  city: z.string(),
  /** When any city's poll first saw the film. */
  firstSeenAt: time,
  ratedAt: z.nullable(time),
  /** Oldest first, thinned: every point for 7 days, then one an hour, then one a day. */
  points: z.array(filmPointSchema),
  /** This city's entries and exits, oldest first. */
  listing: z.array(listingEventSchema),
});
export type FilmHistory = z.infer<typeof filmHistorySchema>;
