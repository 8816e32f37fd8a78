import type { Movie } from '@/lib/types';
import type { Leaving } from './describe-changes';
import { measureTrend } from './measure-trend';
import { parseReleaseDate } from './parse-release-date';

/** The board's sorts; `default` is Douban's order (on 最近下映: the latest exit first). */
export const SORT_KEYS = ['default', 'score', 'votes', 'wish', 'release', 'title', 'growth', 'move'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

type SortTab = Movie['category'] | 'left';

/**
 * The sorts that mean something on each tab, whatever the board holds; the trend sorts also need
 * trends (see `isSortOffered`). Per sort:
 * - `default`, `title`: every list has an order and titles (on 最近下映 the order is the latest exit).
 * - `score`, `votes`: Douban rates films in cinemas only; an upcoming film has neither (the parser
 *   sets both to null), so on 即将上映 they would sort nothing. 最近下映 keeps the scores the films had.
 * - `wish`, `release`: Douban gives 想看 counts and release dates for upcoming films only.
 * - `growth`: votes (or 想看) gained over the last day; a film that left has no last day.
 * - `move`: a score move needs a score.
 */
const TAB_SORTS: Record<SortTab, readonly SortKey[]> = {
  nowplaying: ['default', 'score', 'votes', 'title', 'growth', 'move'],
  upcoming: ['default', 'wish', 'release', 'title', 'growth'],
  left: ['default', 'score', 'votes', 'title'],
};

const TREND_SORTS: readonly SortKey[] = ['growth', 'move'];

/**
 * Whether the sort control offers `key` on a tab: where it means something (`TAB_SORTS`), and the
 * trend sorts only on a board with trends (saved boards and HISTORY=off have none, and would sort
 * nothing).
 */
export function isSortOffered({
  key,
  category,
  trends,
}: {
  key: SortKey;
  category: SortTab;
  trends: boolean;
}): boolean {
  return TAB_SORTS[category].includes(key) && (trends || !TREND_SORTS.includes(key));
}

/**
 * The sort a tab takes for `sort`: itself where it means something there; votes and 想看 stand for
 * each other (the count of people who care, on either list); else Douban's order. The URL's view is
 * read through it, so a sort that does nothing on its tab is never in a canonical URL.
 */
export function fitSortToTab({ sort, tab }: { sort: SortKey; tab: SortTab }): SortKey {
  if (TAB_SORTS[tab].includes(sort)) return sort;
  if (sort === 'votes' && tab === 'upcoming') return 'wish';
  if (sort === 'wish' && tab !== 'upcoming') return 'votes';
  return 'default';
}

/**
 * The sort a tab shows for the one chosen (`fitSortToTab`), and Douban's order for a trend sort on a
 * board without trends: that one stays in the URL, as the board may have trends again on reload.
 */
export function resolveSort({ key, category, trends }: { key: SortKey; category: SortTab; trends: boolean }) {
  const fitted = fitSortToTab({ sort: key, tab: category });
  return isSortOffered({ key: fitted, category, trends }) ? fitted : 'default';
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
