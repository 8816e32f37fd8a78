import type { BoardOrder, NowPlayingPage } from '@/lib/types';

/** The ids of each list of a page, in the page's order: what `BoardUpdate.order` carries. */
export function orderOf(page: NowPlayingPage): BoardOrder {
  return {
    nowPlaying: page.nowPlaying.map((movie) => movie.id),
    upcoming: page.upcoming.map((movie) => movie.id),
  };
}
