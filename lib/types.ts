import type * as z from 'zod/mini';
import type {
  boardOrderSchema,
  boardSnapshotSchema,
  boardSourceSchema,
  boardStateSchema,
  boardStatusSchema,
  boardUpdateSchema,
} from './schema/board';
import type { movieCategorySchema, movieSchema } from './schema/movie';
import type { nowPlayingPageSchema } from './schema/now-playing-page';
import type {
  boardEventNameSchema,
  reconnectNoticeSchema,
  streamEventNameSchema,
} from './schema/stream-event';

/**
 * The public data shapes of Now Showing. Everything the API returns and every SSE event's `data` is
 * one of these, so client code imports them with `import type` and never drifts from the server.
 * Each is declared once, as a schema in `lib/schema/` (see there for the fields and their caps), and
 * parsed with it wherever it enters: Douban's page, the bus, the browser.
 */

/** Which list of Douban's page a movie came from. */
export type MovieCategory = z.infer<typeof movieCategorySchema>;

/** One movie as Douban's now-showing page describes it. */
export type Movie = z.infer<typeof movieSchema>;

/** The two lists of a Douban now-showing page, as parsed. */
export type NowPlayingPage = z.infer<typeof nowPlayingPageSchema>;

/** Where the board's movies come from: a live Douban fetch, or the recording bundled with the app. */
export type BoardSource = z.infer<typeof boardSourceSchema>;

/** GET /api/movies and the `snapshot` SSE event. */
export type BoardSnapshot = z.infer<typeof boardSnapshotSchema>;

/** The `update` SSE event: only what changed between `version - n` and `version`. */
export type BoardUpdate = z.infer<typeof boardUpdateSchema>;

/** The ids of each list, in Douban's order. */
export type BoardOrder = z.infer<typeof boardOrderSchema>;

/** `live`, `stale` or `degraded`: see `boardStateSchema`. */
export type BoardState = z.infer<typeof boardStateSchema>;

/** The `status` SSE event, sent when the board's health changes. */
export type BoardStatus = z.infer<typeof boardStatusSchema>;

/** SSE event names of a board, declared once: what travels on the bus and into every stream. */
export type BoardEventName = z.infer<typeof boardEventNameSchema>;

/** Every SSE event name a stream carries: the board's, and the server's last word before it ends. */
export type StreamEventName = z.infer<typeof streamEventNameSchema>;

/** The data of a `reconnect` event: why the server ends the stream, and when to come back. */
export type ReconnectNotice = z.infer<typeof reconnectNoticeSchema>;

export interface City {
  /** Douban's uid: pinyin or digits, e.g. "shanghai", "118378". */
  slug: string;
  /** Chinese name, e.g. "上海". */
  name: string;
  /** Douban's 热门 (hot) cities, listed first by the picker. */
  hot: boolean;
}
