import type { FilmPoint } from '@/lib/types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Every point for a week, then the last of each hour for a month, then the last of each day. */
export const KEEP_ALL_MS = 7 * DAY;
export const KEEP_HOURLY_MS = 30 * DAY;

/**
 * A film's points as the history keeps them at `now` (oldest first in, oldest first out): every
 * point of the last 7 days, the last point of each hour before that for 30 days, the last of each
 * day before that; and always the first point, where its history starts.
 */
export function thinPoints(points: readonly FilmPoint[], now: number): FilmPoint[] {
  const kept: FilmPoint[] = [];
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as FilmPoint;
    const next = points[i + 1];
    const age = now - point.at;
    const bucket = age <= KEEP_ALL_MS ? 0 : age <= KEEP_HOURLY_MS ? HOUR : DAY;
    const lastOfBucket =
      bucket === 0 || !next || Math.floor(next.at / bucket) !== Math.floor(point.at / bucket);
    if (i === 0 || lastOfBucket) kept.push(point);
  }
  return kept;
}
