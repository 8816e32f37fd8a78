import type { Movie } from '@/lib/types';

/** How a movie moved since its trend's base (24 hours ago, or first sight if later). */
export interface TrendMove {
  /** Score change, rounded to Douban's 0.1 (floating point would make 8.3 − 8.1 = 0.20000000000000107). */
  score?: number;
  votes?: number;
  wish?: number;
}

/**
 * The movie's current values minus its trend's base; a change is left out when either side is
 * unknown (no trend, unrated now or then, a count the page does not show). The marks and the trend
 * sorts both read it, so a card's ▲ and its place in the sort never disagree.
 */
export function measureTrend(movie: Movie): TrendMove {
  const base = movie.trend?.base;
  if (!base) return {};
  const move: TrendMove = {};
  if (movie.score !== null && base.score !== undefined) {
    move.score = Math.round((movie.score - base.score) * 10) / 10;
  }
  if (movie.votes !== null && base.votes !== undefined) move.votes = movie.votes - base.votes;
  if (movie.wish !== null && base.wish !== undefined) move.wish = movie.wish - base.wish;
  return move;
}
