import type { BoardSnapshot, Movie } from '@/lib/types';
import { classifyListMove } from './classify-list-move';

/** How many films changed in each way that is worth telling, between two boards of a city. */
export interface ChangeCounts {
  /** Still on the same list, with another score (votes alone do not count: they move every poll). */
  rescored: number;
  /** Entered 正在上映: new to the board, or moved there from 即将上映. */
  released: number;
  /** Entered 即将上映. */
  listed: number;
  /** Left 正在上映 (and the board). */
  left: number;
  /** Left 即将上映 (and the board). */
  dropped: number;
}

function byId(board: BoardSnapshot): Map<string, Movie> {
  return new Map([...board.nowPlaying, ...board.upcoming].map((movie) => [movie.id, movie]));
}

/**
 * Counts what changed from `before` to `after`. Boards, not updates, are compared, so a burst of
 * updates is counted as one change: a film that came and went within it, or whose score moved and
 * moved back, counts for nothing.
 */
export function summarizeChanges({
  before,
  after,
}: {
  before: BoardSnapshot;
  after: BoardSnapshot;
}): ChangeCounts {
  const counts: ChangeCounts = { rescored: 0, released: 0, listed: 0, left: 0, dropped: 0 };
  const was = byId(before);
  const is = byId(after);
  for (const id of new Set([...was.keys(), ...is.keys()])) {
    const old = was.get(id);
    const movie = is.get(id);
    const move = classifyListMove({ before: old?.category ?? null, after: movie?.category ?? null });
    if (move) counts[move] += 1;
    else if (old && movie && old.score !== movie.score) counts.rescored += 1;
  }
  return counts;
}
