import { SPARK_POINTS, type SparkMetric } from '@/lib/schema/trend';
import type { FilmPoint, ListingEvent, Movie, Trend } from '@/lib/types';
import type { FilmState } from './observe-film';

const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** China has one time zone and no summer time: its days start at 16:00 UTC. */
const CHINA_OFFSET = 8 * HOUR;

/** The start of the Chinese calendar day that holds `at`. */
export function startOfChinaDay(at: number): number {
  return Math.floor((at + CHINA_OFFSET) / DAY) * DAY - CHINA_OFFSET;
}

/** How far back `computeTrend` needs a film's points: the sparkline's days (plus the point before). */
export function trendWindowStart(now: number): number {
  return startOfChinaDay(now) - (SPARK_POINTS - 2) * DAY;
}

/**
 * A movie's trend in one city at `now`, and until when it holds if nothing new is recorded (the
 * next Chinese midnight, or when a newer point becomes the 24-hour base).
 *
 * `points` are the film's points from `trendWindowStart(now)` on, oldest first, preceded by the last
 * point before that if there is one; `listing` is the city's events for it, oldest first;
 * `cityStartedAt` is when this city's history started (a film there then has no known entry time).
 */
export function computeTrend({
  state,
  points,
  listing,
  cityStartedAt,
  movie,
  now,
}: {
  state: FilmState;
  points: readonly FilmPoint[];
  listing: readonly ListingEvent[];
  cityStartedAt: number;
  movie: Movie;
  now: number;
}): { trend: Trend; validUntil: number } {
  const seenAt = listing[0]?.at ?? state.firstSeenAt;
  const trend: Trend = { seenAt, base: baseOf(points, now, state) };
  if (state.ratedAt !== null) trend.ratedAt = state.ratedAt;
  if (movie.category === 'nowplaying') {
    const entry = findLastIndex(listing, (event) => event.list === 'nowplaying');
    const entered = listing[entry];
    if (entered && entered.at > cityStartedAt) {
      trend.playingAt = entered.at;
      if (listing[entry - 1]?.list === 'upcoming') trend.fromUpcoming = true;
    }
  }
  const exit = listing.at(-1);
  if (exit?.list === null) trend.leftAt = exit.at;
  const spark = sparkOf(points, movie, state.last, now);
  if (spark) trend.spark = spark;
  // The base moves when the first point after it is 24 hours old.
  const base = trend.base.at;
  const next = points.find((point) => point.at > base && point.at > now - DAY);
  const validUntil = Math.min(startOfChinaDay(now) + DAY, next ? next.at + DAY : Number.POSITIVE_INFINITY);
  return { trend, validUntil };
}

/** The values 24 hours ago: the last point at or before then, else the first (first sight). */
function baseOf(points: readonly FilmPoint[], now: number, state: FilmState): Trend['base'] {
  const before = findLastIndex(points, (point) => point.at <= now - DAY);
  const point = points[Math.max(0, before)] ?? state.last;
  const base: Trend['base'] = { at: point.at };
  if (point.score !== null) base.score = point.score;
  if (point.votes !== null) base.votes = point.votes;
  if (point.wish !== null) base.wish = point.wish;
  return base;
}

/**
 * The closing value of each of the last 30 days, then the last recorded one (not the page's: a
 * count that moved since, too soon for a point, would change the trend on every poll). A history
 * younger than three days has no such days yet: its recorded values then, the last 31. None while
 * flat or shorter than two. Either way it changes only with a recorded point, or at midnight.
 */
function sparkOf(points: readonly FilmPoint[], movie: Movie, last: FilmPoint, now: number): Trend['spark'] {
  const of: SparkMetric = movie.score !== null ? 'score' : movie.votes !== null ? 'votes' : 'wish';
  const current = last[of] ?? movie[of];
  if (current === null) return undefined;
  const values: number[] = [];
  const today = startOfChinaDay(now);
  for (let day = SPARK_POINTS - 2; day >= 0; day--) {
    const end = today - day * DAY;
    const index = findLastIndex(points, (point) => point.at <= end && point[of] !== null);
    if (index >= 0) values.push(points[index]?.[of] as number);
  }
  values.push(current);
  if (values.length < 4) {
    values.length = 0;
    for (const point of points) if (point[of] !== null) values.push(point[of] as number);
    if (values.at(-1) !== current) values.push(current);
    values.splice(0, Math.max(0, values.length - SPARK_POINTS));
  }
  if (values.length < 2 || values.every((value) => value === values[0])) return undefined;
  return { of, values };
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}
