// No `server-only`: browsers apply `update` events with this same function (components/apply-update.ts),
// so the server's decision to leave `order` out (diffBoards) holds for their copy of the board too.
import type { BoardLists, Movie } from '@/lib/types';
import type { BoardDiff } from './diff-movies';

/**
 * The board after a diff, the same on every instance and in every browser that applies it: unchanged
 * movies keep their object (memoized cards skip rendering), updated ones stay in place unless they
 * moved to the other list, removed ones go, and added or moved movies lead their list, in the diff's
 * order (`updated` before `added`); then, when the diff carries Douban's `order`, each list takes it.
 * 最近下映 is replaced when the diff carries it, else kept.
 */
export function applyMovieDiff(page: BoardLists, diff: BoardDiff): BoardLists {
  const changed = new Map<string, Movie>();
  for (const movie of diff.updated) changed.set(movie.id, movie);
  for (const movie of diff.added) changed.set(movie.id, movie);
  const removed = new Set(diff.removed);
  const placed = new Set<string>();
  const keep = (list: Movie[]) =>
    list.flatMap((movie) => {
      const next = changed.get(movie.id) ?? movie;
      if (removed.has(movie.id) || next.category !== movie.category) return [];
      placed.add(movie.id);
      return [next];
    });
  const nowPlaying = keep(page.nowPlaying);
  const upcoming = keep(page.upcoming);
  const arrived: Record<Movie['category'], Movie[]> = { nowplaying: [], upcoming: [] };
  for (const movie of changed.values()) {
    if (!placed.has(movie.id) && !removed.has(movie.id)) arrived[movie.category].push(movie);
  }
  const lists = {
    nowPlaying: [...arrived.nowplaying, ...nowPlaying],
    upcoming: [...arrived.upcoming, ...upcoming],
  };
  const left = diff.left ?? page.left ?? [];
  const next: BoardLists = left.length > 0 ? { ...lists, left } : lists;
  if (!diff.order) return next;
  return {
    ...next,
    nowPlaying: sortBy(next.nowPlaying, diff.order.nowPlaying),
    upcoming: sortBy(next.upcoming, diff.order.upcoming),
  };
}

function sortBy(list: Movie[], ids: string[]): Movie[] {
  const rank = new Map(ids.map((id, index) => [id, index]));
  return [...list].sort((a, b) => (rank.get(a.id) ?? ids.length) - (rank.get(b.id) ?? ids.length));
}
