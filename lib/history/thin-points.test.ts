import { describe, expect, it } from 'vitest';
import type { FilmPoint } from '@/lib/types';
import { thinPoints } from './thin-points';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 10, 29, 12);
const point = (at: number, votes: number): FilmPoint => ({ at, score: 7, votes, wish: null });

describe('thinPoints', () => {
  it('keeps every point of the last week, the last of each hour for a month, the last of each day before', () => {
    const points: FilmPoint[] = [];
    // A point every ten minutes for 60 days: 8,640 points.
    for (let at = now - 60 * DAY, votes = 0; at <= now; at += 10 * 60_000) points.push(point(at, votes++));
    const kept = thinPoints(points, now);
    const inWeek = kept.filter((p) => now - p.at <= 7 * DAY);
    const inMonth = kept.filter((p) => now - p.at > 7 * DAY && now - p.at <= 30 * DAY);
    const older = kept.filter((p) => now - p.at > 30 * DAY);
    expect(inWeek).toHaveLength(points.filter((p) => now - p.at <= 7 * DAY).length);
    expect(inMonth.length).toBeGreaterThanOrEqual(23 * 24 - 1);
    expect(inMonth.length).toBeLessThanOrEqual(23 * 24 + 1);
    // The first point, where the history starts, and then one a day.
    expect(older.length).toBeGreaterThanOrEqual(30);
    expect(older.length).toBeLessThanOrEqual(32);
    expect(kept[0]).toBe(points[0]);
    // Each kept point of a thinned hour is that hour's last.
    const hourly = inMonth[5] as FilmPoint;
    expect(
      points.find((p) => p.at > hourly.at && Math.floor(p.at / HOUR) === Math.floor(hourly.at / HOUR)),
    ).toBeUndefined();
    // A year of such points stays within a fixed size: 7 days × 144 + 23 × 24 + 335.
    expect(thinPoints(points, now + 400 * DAY).length).toBeLessThanOrEqual(62);
  });

  it('changes nothing in a young history', () => {
    const points = [point(now - 3 * HOUR, 1), point(now - HOUR, 2), point(now, 3)];
    expect(thinPoints(points, now)).toEqual(points);
  });
});
