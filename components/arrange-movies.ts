import type { Movie } from '@/lib/types';
import type { Leaving } from './describe-changes';
import { measureTrend } from './measure-trend';
import { parseReleaseDate } from './parse-release-date';

/** The board's sorts; `default` is Douban's order (on 最近下映: the latest exit first). */
export const SORT_KEYS = ['default', 'score', 'votes', 'wish', 'release', 'title', 'growth', 'move'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

type SortTab = Movie['category'] | 'left';

/**
 * Whether the sort control offers `key`: the trend sorts only on a board with trends (saved boards
 * and HISTORY=off have none, and would sort nothing), a score move only where movies have scores;
 * 想看 and the release date only for upcoming movies (the others have neither), votes for the others.
 */
export function isSortOffered({
  key,
  category,
  trends,
}: {
  key: SortKey;
  /** The board's tab: 最近下映 (`left`) has no growth or move to sort by (its trends end when it left). */
  category: SortTab;
  trends: boolean;
}): boolean {
  if (key === 'growth') return trends && category !== 'left';
  if (key === 'move') return trends && category === 'nowplaying';
  if (key === 'wish' || key === 'release') return category === 'upcoming';
  if (key === 'votes') return category !== 'upcoming';
  return true;
}

/**
 * The sort a tab shows for the one chosen: itself where offered; votes and 想看 stand for each other
 * (the count of people who care, on either list); else Douban's order. The choice itself is kept, so
 * going back to its tab brings it back.
 */
export function resolveSort({ key, category, trends }: { key: SortKey; category: SortTab; trends: boolean }) {
  if (isSortOffered({ key, category, trends })) return key;
  if (key === 'votes' && category === 'upcoming') return 'wish';
  if (key === 'wish' && category !== 'upcoming') return 'votes';
  return 'default';
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

function byNumberAsc(a: number | null, b: number | null): number {
  return (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY);
}

function compareBy(sort: Exclude<SortKey, 'default'>, today: number): (a: Movie, b: Movie) => number {
  switch (sort) {
    case 'score':
      return (a, b) => byNumberDesc(a.score, b.score) || byNumberDesc(a.votes, b.votes);
    case 'votes':
      // An upcoming movie has no ratings; its 想看 count plays the same part.
      return (a, b) => byNumberDesc(a.votes ?? a.wish, b.votes ?? b.wish);
    case 'wish':
      return (a, b) => byNumberDesc(a.wish, b.wish);
    case 'release': {
      // The soonest first; a date that does not parse, last.
      const day = (movie: Movie) => parseReleaseDate({ text: movie.releaseDate, today });
      return (a, b) => byNumberAsc(day(a), day(b));
    }
    case 'title':
      return (a, b) => collator.compare(a.title, b.title);
    case 'growth':
      // Growth since the trend's base (24 hours ago): votes, or 想看 for upcoming movies.
      return (a, b) => byNumberDesc(growthOf(a), growthOf(b));
    case 'move':
      // The biggest move either way first; of two equal moves, the rise.
      return (a, b) => {
        const [x, y] = [measureTrend(a).score ?? null, measureTrend(b).score ?? null];
        return (
          byNumberDesc(x === null ? null : Math.abs(x), y === null ? null : Math.abs(y)) || byNumberDesc(x, y)
        );
      };
  }
}

function growthOf(movie: Movie): number | null {
  const move = measureTrend(movie);
  return move.votes ?? move.wish ?? null;
}

/**
 * The cards of one tab in display order: Douban's order (`default`) or sorted (a stable sort: equals
 * keep Douban's order), only those `filter` keeps, with leaving movies kept at their old place until
 * they fade out. `today` (ms) dates Douban's year-less release dates (the board's fetch time).
 */
export function arrangeMovies({
  movies,
  leaving,
  sort,
  filter = () => true,
  today,
}: {
  movies: Movie[];
  leaving: Leaving[];
  sort: SortKey;
  filter?: (movie: Movie) => boolean;
  today: number;
}): ArrangedMovie[] {
  const rows: ArrangedMovie[] = movies.map((movie) => ({ movie, leaving: false }));
  for (const gone of [...leaving].sort((a, b) => a.index - b.index)) {
    if (movies.some((movie) => movie.id === gone.movie.id)) continue;
    rows.splice(Math.min(gone.index, rows.length), 0, { movie: gone.movie, leaving: true });
  }
  const shown = rows.filter((row) => filter(row.movie));
  if (sort !== 'default') {
    const compare = compareBy(sort, today);
    shown.sort((a, b) => compare(a.movie, b.movie));
  }
  return shown;
}
