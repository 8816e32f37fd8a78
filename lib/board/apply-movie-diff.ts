import 'server-only';
import type { BoardOrder, Movie, NowPlayingPage } from '@/lib/types';
import type { MovieDiff } from './diff-movies';

/**
 * The board after a diff, the same on every instance that applies it: updated movies stay in place
 * (unless they moved to the other list), removed ones go, and added or moved movies lead their list,
 * in the diff's order; then, when the diff carries Douban's `order`, each list takes that order.
 * Browsers apply updates the same way (components/apply-update.ts).
 */
export function applyMovieDiff(
  page: NowPlayingPage,
  diff: MovieDiff & { order?: BoardOrder },
): NowPlayingPage {
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
  const next = {
    nowPlaying: [...arrived.nowplaying, ...nowPlaying],
    upcoming: [...arrived.upcoming, ...upcoming],
  };
  if (!diff.order) return next;
  return {
    nowPlaying: sortBy(next.nowPlaying, diff.order.nowPlaying),
    upcoming: sortBy(next.upcoming, diff.order.upcoming),
  };
}

/** The ids of each list, to compare a board's order with Douban's. */
export function orderOf(page: NowPlayingPage): BoardOrder {
  return {
    nowPlaying: page.nowPlaying.map((movie) => movie.id),
    upcoming: page.upcoming.map((movie) => movie.id),
  };
}

export function sameOrder(a: BoardOrder, b: BoardOrder): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((id, index) => id === y[index]);
  return same(a.nowPlaying, b.nowPlaying) && same(a.upcoming, b.upcoming);
}

function sortBy(list: Movie[], ids: string[]): Movie[] {
  const rank = new Map(ids.map((id, index) => [id, index]));
  return [...list].sort((a, b) => (rank.get(a.id) ?? ids.length) - (rank.get(b.id) ?? ids.length));
}
