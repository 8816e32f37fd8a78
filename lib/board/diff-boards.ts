import type { BoardLists, BoardOrder, Movie } from '@/lib/types';
import { applyMovieDiff } from './apply-movie-diff';
import { type BoardDiff, diffMovies, isEmptyDiff } from './diff-movies';
import { orderOf } from './order-of';

/**
 * What an `update` must carry to turn `previous` into `next`, both lists in Douban's order. `order`
 * is left out when applying the movie diff alone already gives `next`'s order (most polls: a score
 * moves, a film opens and leads its list), and sent otherwise (a reorder, a film listed mid-list).
 * The decision holds for browsers too because they apply updates with the same `applyMovieDiff`.
 * 最近下映 (`left`, a few movies that change rarely) is sent whole when it changed.
 */
export function diffBoards(previous: BoardLists, next: BoardLists): BoardDiff {
  const movies = diffMovies(
    [...previous.nowPlaying, ...previous.upcoming],
    [...next.nowPlaying, ...next.upcoming],
  );
  const left = next.left ?? [];
  const diff = sameLeft(previous.left ?? [], left) ? movies : { ...movies, left };
  const order = orderOf(next);
  return sameOrder(orderOf(applyMovieDiff(previous, diff)), order) ? diff : { ...diff, order };
}

function sameLeft(a: readonly Movie[], b: readonly Movie[]): boolean {
  return (
    a.length === b.length && isEmptyDiff(diffMovies(a, b)) && a.every((movie, i) => movie.id === b[i]?.id)
  );
}

function sameOrder(a: BoardOrder, b: BoardOrder): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((id, index) => id === y[index]);
  return same(a.nowPlaying, b.nowPlaying) && same(a.upcoming, b.upcoming);
}
