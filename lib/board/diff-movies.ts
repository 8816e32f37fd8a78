import type { BoardOrder, Movie } from '@/lib/types';

export interface MovieDiff {
  added: Movie[];
  updated: Movie[];
  removed: string[];
}

/** The part of an `update` event that changes the movies: what `applyMovieDiff` applies. */
export interface BoardDiff extends MovieDiff {
  /** Douban's order of each list, present exactly when applying the rest would not give it. */
  order?: BoardOrder;
  /** 最近下映 whole, present exactly when it changed (`[]`: it emptied). */
  left?: Movie[];
}

/**
 * What changed between two lists of movies, by Douban id: movies that appeared, movies with any field
 * changed (a score, a vote count, a move from upcoming to now playing), and the ids that disappeared.
 * `added` and `updated` follow `next`'s order. Where each list's order changed is `diffBoards`' concern.
 */
export function diffMovies(previous: readonly Movie[], next: readonly Movie[]): MovieDiff {
  const before = new Map(previous.map((movie) => [movie.id, movie]));
  const added: Movie[] = [];
  const updated: Movie[] = [];
  for (const movie of next) {
    const old = before.get(movie.id);
    if (!old) added.push(movie);
    else if (!sameMovie(old, movie)) updated.push(movie);
    before.delete(movie.id);
  }
  return { added, updated, removed: [...before.keys()] };
}

/** Whether a diff changes no movie (Douban's order may still have changed: see `diffBoards`). */
export function isEmptyDiff(diff: MovieDiff): boolean {
  return diff.added.length === 0 && diff.updated.length === 0 && diff.removed.length === 0;
}

function sameMovie(a: Movie, b: Movie): boolean {
  for (const key of Object.keys(b) as (keyof Movie)[]) {
    const x = a[key];
    const y = b[key];
    if (key === 'trend') {
      // A small object built afresh on every poll, compared with the board's copy, which went
      // through the schema (its keys in the schema's order): equal when its JSON with sorted keys is.
      if (canonicalJson(x) !== canonicalJson(y)) return false;
    } else if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((value, index) => value !== y[index])) return false;
    } else if (x !== y) {
      return false;
    }
  }
  return Object.keys(a).length === Object.keys(b).length;
}

/** JSON with every object's keys sorted: the same for equal values whatever order they were built in. */
function canonicalJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
