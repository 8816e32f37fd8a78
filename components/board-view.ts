import * as z from 'zod/mini';
import { fitSortToTab, SORT_KEYS, type SortKey } from './arrange-movies';

// No `server-only`: the page parses its search parameters with this schema, the board parses the
// address bar with it after back/forward, and both write it back the same way.

/** The first value of a repeated parameter (`?sort=score&sort=votes` is `score`), as the page reads `city`. */
const firstOf = (value: unknown) => (Array.isArray(value) ? value[0] : value);

/** One parameter: its value when valid, else its default. A bad parameter never fails the page. */
function param<T extends z.ZodMiniType>(schema: T, fallback: z.output<T>) {
  return z.catch(z.pipe(z.transform(firstOf), schema), fallback);
}

const MAX_QUERY_CHARS = 100;

/**
 * What the board shows, as the page's URL says it (`/?city=shanghai&min=7.5&rated=1&region=cn&sort=votes`).
 * Every parameter is optional and forgiving: missing, malformed or out of range, it is its default.
 * Unknown parameters are ignored.
 */
export const boardViewSchema = z.object({
  /** 正在上映 / 即将上映 / 最近下映. */
  tab: param(z.enum(['nowplaying', 'upcoming', 'left']), 'nowplaying'),
  sort: param(z.enum(SORT_KEYS), 'default'),
  /** Minimum score, 0–10 to one decimal (0: none). Unrated films are left to `rated`. */
  min: param(
    z.pipe(
      z.string().check(z.regex(/^\d{1,2}(\.\d+)?$/)),
      z.pipe(
        z.transform((text: string) => Math.round(Number(text) * 10) / 10),
        z.number().check(z.gte(0), z.lte(10)),
      ),
    ),
    0,
  ),
  /** Hide films without a score (`rated=1`; a checkbox's `on` and `true` are read too). */
  rated: param(
    z.pipe(
      z.enum(['1', 'true', 'on']),
      z.transform(() => true),
    ),
    false,
  ),
  /** 华语 (`cn`) or 外语 (`intl`) films, by their first region (see `filmRegion`). */
  region: param(z.enum(['all', 'cn', 'intl']), 'all'),
  /** Only the films the viewer marked in this browser: followed, 想看 or 看过. */
  mine: param(z.enum(['all', 'followed', 'wish', 'seen']), 'all'),
  /** Text over titles, directors and actors; trimmed, at most 100 characters. */
  q: param(
    z.pipe(
      z.string(),
      z.transform((text: string) => text.trim().slice(0, MAX_QUERY_CHARS)),
    ),
    '',
  ),
});
export type BoardView = z.infer<typeof boardViewSchema>;

export const DEFAULT_BOARD_VIEW: BoardView = boardViewSchema.parse({});

/**
 * The view from a page's `searchParams` or an address bar's query; never throws. A sort that means
 * nothing on the view's tab is read as the one that tab takes for it (`fitSortToTab`): `?tab=upcoming&sort=score`
 * is 即将上映 in Douban's order, and its canonical URL leaves the sort out.
 */
export function parseBoardView(
  input: URLSearchParams | Record<string, string | string[] | undefined>,
): BoardView {
  let view: BoardView;
  if (input instanceof URLSearchParams) {
    const record: Record<string, string> = {};
    for (const [key, value] of input) record[key] ??= value;
    view = boardViewSchema.parse(record);
  } else {
    view = boardViewSchema.parse(input);
  }
  return { ...view, sort: fitSortToTab({ sort: view.sort, tab: view.tab }) };
}

/** The sort the viewer last chose on each tab while the page runs (see `viewOfTab`). */
export type ChosenSorts = Partial<Record<BoardView['tab'], SortKey>>;

/**
 * The chosen sorts once the board goes from `before` (null: the view the page opened with) to `after`:
 * a sort changed on a tab, or the one the URL opened with, is that tab's choice. A tab switched to
 * only took what the other tab had, as far as it could, and Douban's order in the URL is no more than
 * the default: neither is a choice, so a sort chosen later on another tab still travels there.
 */
export function rememberSort({
  chosen,
  before,
  after,
}: {
  chosen: ChosenSorts;
  before: BoardView | null;
  after: BoardView;
}): ChosenSorts {
  const changed = before ? before.tab === after.tab && before.sort !== after.sort : after.sort !== 'default';
  return changed ? { ...chosen, [after.tab]: after.sort } : chosen;
}

/**
 * The view a tab's link opens from this one: the same filters, and the sort last chosen on that tab
 * (`chosen`; the page remembers it while it runs, the server knows none), else this view's sort as
 * that tab takes it. So 评分 on 正在上映, a look at 即将上映 (Douban's order: nothing has a score there)
 * and back brings 评分 back with JavaScript; without it the links carry only what the URL holds.
 */
export function viewOfTab({
  view,
  tab,
  chosen = {},
}: {
  view: BoardView;
  tab: BoardView['tab'];
  chosen?: ChosenSorts;
}): BoardView {
  if (tab === view.tab) return view;
  return { ...view, tab, sort: fitSortToTab({ sort: chosen[tab] ?? view.sort, tab }) };
}

/**
 * The view's parameters in a fixed order, each left out at its default, so equal views have equal
 * URLs and a default board's URL is just its city.
 */
export function serializeBoardView(view: BoardView): URLSearchParams {
  const params = new URLSearchParams();
  const { tab, sort, min, rated, region, mine, q } = view;
  if (tab !== DEFAULT_BOARD_VIEW.tab) params.set('tab', tab);
  if (sort !== DEFAULT_BOARD_VIEW.sort) params.set('sort', sort);
  if (min > 0) params.set('min', String(min));
  if (rated) params.set('rated', '1');
  if (region !== DEFAULT_BOARD_VIEW.region) params.set('region', region);
  if (mine !== DEFAULT_BOARD_VIEW.mine) params.set('mine', mine);
  const query = q.trim();
  if (query) params.set('q', query);
  return params;
}

const VIEW_KEYS = Object.keys(boardViewSchema.shape) as (keyof BoardView)[];

/**
 * Whether the view's parameters in a page's `searchParams` are written as `serializeBoardView` writes
 * them (in any order; other parameters are not the view's and do not count).
 */
export function isCanonicalView(params: Record<string, string | string[] | undefined>): boolean {
  const canonical = serializeBoardView(parseBoardView(params));
  return VIEW_KEYS.every((key) => (params[key] ?? null) === canonical.get(key));
}

/** Whether two views show the same board (their URLs are the same). */
export function isSameView(a: BoardView, b: BoardView): boolean {
  return serializeBoardView(a).toString() === serializeBoardView(b).toString();
}

/** The page's URL for a city's board in this view: `/?city=<slug>` and the view's parameters. */
export function boardViewHref({ city, view }: { city: string; view: BoardView }): string {
  return `/?${new URLSearchParams([['city', city], ...serializeBoardView(view)])}`;
}
