import type { BoardSnapshot, BoardUpdate, Movie } from '@/lib/types';

/**
 * Applies one `update` event to a board. Unchanged movies keep their object identity, so memoized
 * cards skip rendering; an updated movie keeps its place unless it moved to the other list (an
 * upcoming film that opened). An update does not say where Douban lists an added movie, so added
 * (and moved) movies lead their list, where they are noticed. An update only comes from a successful
 * fetch, so the result is live data from Douban. When Douban's order changed, `update.order` gives it.
 */
export function applyUpdate(board: BoardSnapshot, update: BoardUpdate): BoardSnapshot {
  const changed = new Map<string, Movie>();
  for (const movie of update.updated) changed.set(movie.id, movie);
  for (const movie of update.added) changed.set(movie.id, movie);
  const removed = new Set(update.removed);

  const present = new Set<string>();
  const keep = (list: Movie[]) =>
    list.flatMap((movie) => {
      if (removed.has(movie.id)) return [];
      const next = changed.get(movie.id) ?? movie;
      if (next.category !== movie.category) return [];
      present.add(movie.id);
      return [next];
    });
  const kept = { nowplaying: keep(board.nowPlaying), upcoming: keep(board.upcoming) };
  const arrived = { nowplaying: [] as Movie[], upcoming: [] as Movie[] };
  for (const movie of changed.values()) {
    if (!present.has(movie.id) && !removed.has(movie.id)) arrived[movie.category].push(movie);
  }
  // Douban's new order, when the update carries it (only when the change alone does not explain it).
  const ordered = (list: Movie[], ids: string[] | undefined) => {
    if (!ids) return list;
    const rank = new Map(ids.map((id, index) => [id, index]));
    return [...list].sort((a, b) => (rank.get(a.id) ?? ids.length) - (rank.get(b.id) ?? ids.length));
  };
  const nowPlaying = ordered([...arrived.nowplaying, ...kept.nowplaying], update.order?.nowPlaying);
  const upcoming = ordered([...arrived.upcoming, ...kept.upcoming], update.order?.upcoming);

  return {
    ...board,
    version: update.version,
    fetchedAt: update.fetchedAt,
    stale: false,
    source: 'douban',
    nowPlaying,
    upcoming,
  };
}
