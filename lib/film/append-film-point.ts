import type { FilmPoint, Movie } from '@/lib/types';

// No `server-only`: the film page's live leaf appends what the stream brings.

/**
 * The film's points with what a live event showed of it at `at` appended, when that differs from the
 * last point (the server records a point only on a change too); the same array when it does not, or
 * when `at` is not after the last point (a replayed or older event).
 */
export function appendFilmPoint(
  points: readonly FilmPoint[],
  movie: Movie,
  at: number,
): readonly FilmPoint[] {
  const last = points.at(-1);
  const point: FilmPoint = { at, score: movie.score, votes: movie.votes, wish: movie.wish };
  if (
    last &&
    (at <= last.at || (last.score === point.score && last.votes === point.votes && last.wish === point.wish))
  ) {
    return points;
  }
  return [...points, point];
}
