import 'server-only';
import type { Movie, NowPlayingPage } from '@/lib/types';
import type { MovieDiff } from './diff-movies';

/**
 * The board after a diff, the same on every instance that applies it: updated movies stay in place
 * (unless they moved to the other list), removed ones go, and added or moved movies lead their list,
 * in the diff's order. Browsers apply updates the same way (components/apply-update.ts).
 */
export function applyMovieDiff(page: NowPlayingPage, diff: MovieDiff): NowPlayingPage {
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
  return { nowPlaying: [...arrived.nowplaying, ...nowPlaying], upcoming: [...arrived.upcoming, ...upcoming] };
}
