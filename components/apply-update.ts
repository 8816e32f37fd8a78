import { applyMovieDiff } from '@/lib/board/apply-movie-diff';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';

/**
 * Applies one `update` event to the board on screen, with the server's own `applyMovieDiff`, so the
 * browser's lists match the server's (Douban's order). Unchanged movies keep their object identity,
 * so memoized cards skip rendering. An update only comes from a successful fetch, so the result is
 * live data from Douban.
 */
export function applyUpdate(board: BoardSnapshot, update: BoardUpdate): BoardSnapshot {
  const { left, ...lists } = board;
  return {
    ...lists,
    ...applyMovieDiff(board, update),
    version: update.version,
    fetchedAt: update.fetchedAt,
    stale: false,
    source: 'douban',
  };
}
