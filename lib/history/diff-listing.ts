import type { ListingEvent, MovieCategory, NowPlayingPage } from '@/lib/types';

/**
 * The listing events a poll of a city adds at `at`: each movie whose list differs from the one it
 * was last in (`current`: the list of each film's last event, null when it left), and each film
 * listed before and missing now (`list: null`).
 */
export function diffListing(
  current: ReadonlyMap<string, MovieCategory | null>,
  page: NowPlayingPage,
  at: number,
): Array<{ id: string; event: ListingEvent }> {
  const events: Array<{ id: string; event: ListingEvent }> = [];
  const present = new Set<string>();
  for (const movie of [...page.nowPlaying, ...page.upcoming]) {
    present.add(movie.id);
    if (current.get(movie.id) !== movie.category)
      events.push({ id: movie.id, event: { at, list: movie.category } });
  }
  for (const [id, list] of current) {
    if (list !== null && !present.has(id)) events.push({ id, event: { at, list: null } });
  }
  return events;
}
