import type { Movie } from '@/lib/types';
import type { Leaving } from './describe-changes';

export type SortKey = 'default' | 'score' | 'votes' | 'title';

export interface ArrangedMovie {
  movie: Movie;
  leaving: boolean;
}

const collator = new Intl.Collator('zh-CN');

/** Missing numbers sort last, whichever way the list is sorted. */
function byNumberDesc(a: number | null, b: number | null): number {
  return (b ?? Number.NEGATIVE_INFINITY) - (a ?? Number.NEGATIVE_INFINITY);
}

const compare: Record<Exclude<SortKey, 'default'>, (a: Movie, b: Movie) => number> = {
  score: (a, b) => byNumberDesc(a.score, b.score) || byNumberDesc(a.votes, b.votes),
  // Upcoming movies have no ratings; their 想看 count plays the same part.
  votes: (a, b) => byNumberDesc(a.votes ?? a.wish, b.votes ?? b.wish),
  title: (a, b) => collator.compare(a.title, b.title),
};

function matches(movie: Movie, needle: string): boolean {
  if (needle === '') return true;
  return [movie.title, ...movie.directors, ...movie.actors].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

/**
 * The cards of one tab in display order: Douban's order (`default`) or sorted, filtered by a text
 * over title, directors and actors, with leaving movies kept at their old place until they fade out.
 */
export function arrangeMovies({
  movies,
  leaving,
  sort,
  query,
}: {
  movies: Movie[];
  leaving: Leaving[];
  sort: SortKey;
  query: string;
}): ArrangedMovie[] {
  const rows: ArrangedMovie[] = movies.map((movie) => ({ movie, leaving: false }));
  for (const gone of [...leaving].sort((a, b) => a.index - b.index)) {
    if (movies.some((movie) => movie.id === gone.movie.id)) continue;
    rows.splice(Math.min(gone.index, rows.length), 0, { movie: gone.movie, leaving: true });
  }
  const needle = query.trim().toLowerCase();
  const shown = rows.filter((row) => matches(row.movie, needle));
  if (sort !== 'default') shown.sort((a, b) => compare[sort](a.movie, b.movie));
  return shown;
}
