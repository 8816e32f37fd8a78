import type { Movie } from '@/lib/types';
import type { Leaving } from './describe-changes';
import { measureTrend } from './measure-trend';

export type SortKey = 'default' | 'score' | 'votes' | 'title' | 'growth' | 'move';

/**
 * Whether the sort control offers `key`: the trend sorts only on a board with trends (saved boards
 * and HISTORY=off have none, and would sort nothing), a score move only where movies have scores.
 */
export function isSortOffered({
  key,
  category,
  trends,
}: {
  key: SortKey;
  /** The board's tab: 最近下映 (`left`) has no growth or move to sort by (its trends end when it left). */
  category: Movie['category'] | 'left';
  trends: boolean;
}): boolean {
  if (key === 'growth') return trends && category !== 'left';
  if (key === 'move') return trends && category === 'nowplaying';
  return true;
}

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
  // Growth since the trend's base (24 hours ago): votes, or 想看 for upcoming movies.
  growth: (a, b) => byNumberDesc(growthOf(a), growthOf(b)),
  // The biggest move either way first; of two equal moves, the rise.
  move: (a, b) => {
    const [x, y] = [measureTrend(a).score ?? null, measureTrend(b).score ?? null];
    return (
      byNumberDesc(x === null ? null : Math.abs(x), y === null ? null : Math.abs(y)) || byNumberDesc(x, y)
    );
  },
};

function growthOf(movie: Movie): number | null {
  const move = measureTrend(movie);
  return move.votes ?? move.wish ?? null;
}

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
