/**
 * The public data shapes of Now Showing. Everything the API returns and every SSE event's `data` is
 * one of these, so client code imports them with `import type` and never drifts from the server.
 */

/** Which list of Douban's page a movie came from. */
export type MovieCategory = 'nowplaying' | 'upcoming';

/** One movie as Douban's now-showing page describes it. */
export interface Movie {
  /** Douban subject id, digits only (e.g. "36154853"). Stable key for diffs and React. */
  id: string;
  category: MovieCategory;
  title: string;
  /** 0–10 with one decimal, or `null` when Douban has too few ratings (never 0). Upcoming: always null. */
  score: number | null;
  /** Number of ratings; `null` for upcoming movies, which Douban does not rate. */
  votes: number | null;
  /** Star level 0–50 in steps of 5 as Douban's `allstarNN` class; `null` when unrated. */
  stars: number | null;
  /** Release year, e.g. 2024; `null` when Douban omits it (upcoming movies). */
  year: number | null;
  /** Duration text as Douban prints it, e.g. "119分钟(中国大陆)"; `null` when missing. */
  duration: string | null;
  regions: string[];
  directors: string[];
  actors: string[];
  /** Douban's poster URL (https://imgN.doubanio.com/view/...); fetch it through /api/poster. */
  posterUrl: string | null;
  /** The movie's Douban page. */
  url: string;
  /** Douban's ticket link, `null` when the page has none (some upcoming movies). */
  ticketUrl: string | null;
  /** Upcoming only: release date text such as "12月06日上映". */
  releaseDate: string | null;
  /** Upcoming only: the "想看" (want to see) count. */
  wish: number | null;
}

/** The two lists of a Douban now-showing page, as parsed. */
export interface NowPlayingPage {
  nowPlaying: Movie[];
  upcoming: Movie[];
}

/** Where the board's movies come from: a live Douban fetch, or the recording bundled with the app. */
export type BoardSource = 'douban' | 'saved' | 'none';

/** GET /api/movies and the `snapshot` SSE event. */
export interface BoardSnapshot {
  city: string;
  /** Only grows, per city, also across restarts; the SSE `id`. */
  version: number;
  /** ISO time of the fetch these movies came from (for saved data: when the page was recorded). */
  fetchedAt: string | null;
  /** True when the last poll failed or the movies are saved data rather than a live fetch. */
  stale: boolean;
  source: BoardSource;
  nowPlaying: Movie[];
  upcoming: Movie[];
}

/** The `update` SSE event: only what changed between `version - n` and `version`. */
export interface BoardUpdate {
  city: string;
  version: number;
  /** ISO time of the fetch that produced this change. */
  fetchedAt: string;
  added: Movie[];
  updated: Movie[];
  removed: string[];
  /**
   * Only when Douban's order changed in a way the change alone does not explain: the ids of each list
   * in Douban's order. Without it, updated movies keep their place and added ones lead their list.
   */
  order?: BoardOrder;
}

/** The ids of each list, in Douban's order. */
export interface BoardOrder {
  nowPlaying: string[];
  upcoming: string[];
}

/**
 * `live`: Douban answers and the board is current. `stale`: Douban does not answer; the board is the
 * last good one. `degraded`: this server lost the store it shares with the other instances (Redis);
 * the board is the last one it had, and it catches up when the store returns.
 */
export type BoardState = 'live' | 'stale' | 'degraded';

/** The `status` SSE event, sent when the board's health changes. */
export interface BoardStatus {
  city: string;
  state: BoardState;
  /** ISO time since when this state holds. */
  since: string;
  /**
   * Why the board is not live: Douban's failure (e.g. "http-403", "timeout", "not-a-nowplaying-page")
   * or "redis-unavailable" when degraded; null when live.
   */
  reason: string | null;
  /** ISO time of the last successful fetch, null if there never was one. */
  lastSuccessAt: string | null;
}

/** SSE event names of a board, declared once: what travels on the bus and into every stream. */
export type BoardEventName = 'snapshot' | 'update' | 'status';

/** Every SSE event name a stream carries: the board's, and the server's last word before it ends. */
export type StreamEventName = BoardEventName | 'reconnect';

/** The data of a `reconnect` event: why the server ends the stream, and when to come back. */
export interface ReconnectNotice {
  reason: 'shutdown' | 'max-duration';
  retryMs: number;
}

export interface City {
  /** Douban's uid: pinyin or digits, e.g. "shanghai", "118378". */
  slug: string;
  /** Chinese name, e.g. "上海". */
  name: string;
  /** Douban's 热门 (hot) cities, listed first by the picker. */
  hot: boolean;
}
