/**
 * The public data shapes of Now Showing. Everything the API returns and every SSE event's `data` is
 * one of these, so client code imports them with `import type` and never drifts from the server.
 * Each is declared once, as a schema in `lib/schema/` (see there for the fields and their caps), with
 * its type beside it, and parsed with it wherever it enters: Douban's page, the bus, the browser.
 */
export type {
  BoardLists,
  BoardOrder,
  BoardSnapshot,
  BoardSource,
  BoardState,
  BoardStatus,
  BoardUpdate,
} from './schema/board';
export type { Movie, MovieCategory } from './schema/movie';
export type { NowPlayingPage } from './schema/now-playing-page';
export type { BoardEventName, ReconnectNotice, StreamEventName } from './schema/stream-event';
export type { FilmHistory, FilmPoint, ListingEvent, SparkMetric, Trend } from './schema/trend';

export interface City {
  /** Douban's uid: pinyin or digits, e.g. "shanghai", "118378". */
  slug: string;
  /** Chinese name, e.g. "上海". */
  name: string;
  /** Douban's 热门 (hot) cities, listed first by the picker. */
  hot: boolean;
}
