import type { FilmPoint, Movie } from '@/lib/types';

/** What the history keeps of a film besides its points (one record per film, whatever the city). */
export interface FilmState {
  /** When any city's poll first saw it. */
  firstSeenAt: number;
  /** 开分: when we saw its first score, having seen it unrated in 正在上映 before; null: unknown. */
  ratedAt: number | null;
  /** Whether we saw it unrated in 正在上映 (upcoming movies are never scored on the page). */
  seenUnrated: boolean;
  /** When a poll last saw it, to the day: films unseen for a year are dropped. */
  lastSeenAt: number;
  /** The last recorded point. */
  last: FilmPoint;
}

/** Vote and 想看 counts grow all day: a point for them at most this often (a score change: always). */
export const COUNT_POINT_GAP_MS = 10 * 60_000;
/** `lastSeenAt` is written again only this long after it was: it serves the yearly drop. */
const SEEN_RESOLUTION_MS = 86_400_000;

/**
 * What one sighting of `movie` at `at` adds to its film's history: the new state, the point to
 * record (when its score changed, a count appeared or went, or a count changed at least
 * `COUNT_POINT_GAP_MS` after the last point), and whether the state must be written at all.
 */
export function observeFilm(
  state: FilmState | null,
  movie: Movie,
  at: number,
): { state: FilmState; point: FilmPoint | null; write: boolean } {
  const point: FilmPoint = { at, score: movie.score, votes: movie.votes, wish: movie.wish };
  const unrated = movie.category === 'nowplaying' && movie.score === null;
  if (!state) {
    return {
      state: { firstSeenAt: at, ratedAt: null, seenUnrated: unrated, lastSeenAt: at, last: point },
      point,
      write: true,
    };
  }
  const { last } = state;
  const scoreMoved = point.score !== last.score;
  const countAppeared =
    (point.votes === null) !== (last.votes === null) || (point.wish === null) !== (last.wish === null);
  const countMoved = point.votes !== last.votes || point.wish !== last.wish;
  const recorded = scoreMoved || countAppeared || (countMoved && at - last.at >= COUNT_POINT_GAP_MS);
  const rated = state.ratedAt === null && state.seenUnrated && last.score === null && point.score !== null;
  const next: FilmState = {
    firstSeenAt: state.firstSeenAt,
    ratedAt: rated ? at : state.ratedAt,
    seenUnrated: state.seenUnrated || unrated,
    lastSeenAt: at - state.lastSeenAt >= SEEN_RESOLUTION_MS ? at : state.lastSeenAt,
    last: recorded ? point : last,
  };
  const write =
    recorded || rated || next.seenUnrated !== state.seenUnrated || next.lastSeenAt !== state.lastSeenAt;
  return { state: next, point: recorded ? point : null, write };
}
