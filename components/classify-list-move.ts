import type { MovieCategory } from '@/lib/types';

/**
 * How a film moved between a city's lists: into 正在上映 (new to the board, back on it, or from
 * 即将上映), into 即将上映, out of 正在上映 (最近下映), out of 即将上映.
 */
export type ListMove = 'released' | 'listed' | 'left' | 'dropped';

/**
 * The move of a film whose list was `before` and is `after` (`null`: on no list of the city); `null`
 * when it stayed where it was. The board counts these moves; the film page tells its own.
 */
export function classifyListMove({
  before,
  after,
}: {
  before: MovieCategory | null;
  after: MovieCategory | null;
}): ListMove | null {
  if (before === after) return null;
  if (after === 'nowplaying') return 'released';
  if (after === 'upcoming') return 'listed';
  return before === 'nowplaying' ? 'left' : 'dropped';
}
