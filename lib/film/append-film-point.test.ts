import { describe, expect, it } from 'vitest';
import type { FilmPoint, Movie } from '@/lib/types';
import { appendFilmPoint } from './append-film-point';

const movie = { id: '1', category: 'nowplaying', score: 8.5, votes: 1000, wish: null } as Movie;
const points: FilmPoint[] = [{ at: 100, score: 8.4, votes: 900, wish: null }];

describe('appendFilmPoint', () => {
  it('appends what changed, at the time of the event', () => {
    expect(appendFilmPoint(points, movie, 200)).toEqual([
      ...points,
      { at: 200, score: 8.5, votes: 1000, wish: null },
    ]);
  });

  it('keeps the same array when nothing changed', () => {
    const same = [{ at: 100, score: 8.5, votes: 1000, wish: null }];
    expect(appendFilmPoint(same, movie, 200)).toBe(same);
  });

  it('ignores an event from before the last point', () => {
    expect(appendFilmPoint(points, movie, 100)).toBe(points);
    expect(appendFilmPoint(points, movie, 50)).toBe(points);
  });

  it('starts a history that had no point', () => {
    expect(appendFilmPoint([], movie, 5)).toHaveLength(1);
  });
});
