import type { IncomingHttpHeaders } from 'node:http';

/** How the fake answers page requests; see `FakeDouban.setMode`. */
export const FAKE_MODES = [
  'ok',
  'http-403',
  'http-418',
  'http-500',
  'timeout',
  'antibot-200',
  'antibot-403',
  'truncated',
  // 302 to sec.douban.com, as Douban answers a client it has flagged.
  'redirect',
  // The current page encoded as GB18030, declared in Content-Type.
  'gb18030',
] as const;

export type FakeMode = (typeof FAKE_MODES)[number];

export interface FakeDoubanOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where the recorded pages are; default `fixtures/douban/` of this checkout. */
  fixturesDir?: string;
  /** When set, the shanghai and shangrao pages change a little at random every `driftMs`. */
  driftMs?: number;
}

export interface PageRequest {
  city: string;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** `Date.now()` when its answer was sent (null while held: a delay, or mode 'timeout'). */
  answeredAt: number | null;
  headers: IncomingHttpHeaders;
}

export interface FakeDouban {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4101`: use it as `DOUBAN_BASE_URL`. */
  readonly url: string;
  /**
   * `score: null` makes the movie unrated (`data-score="0"`, `data-star="00"`, `data-enough="False"`);
   * `votes` sets its vote count too (else it is kept).
   */
  setScore(input: { city: string; id: string; score: number | null; votes?: number }): void;
  /** Clones a movie of the recorded page under a new id and title; it appears first in the list. */
  addMovie(input: NewMovie & { city: string }): void;
  /** Lists a movie of `#nowplaying` in `#upcoming` too, first there. */
  listAlsoUpcoming(input: { city: string; id: string }): void;
  removeMovie(input: { city: string; id: string }): void;
  /** Without `city`, applies to every city (and clears per-city modes). */
  setMode(input: { city?: string; mode: FakeMode }): void;
  /**
   * A slow Douban: page answers are sent `ms` after the request (0: at once). Without `city`,
   * applies to every city (and clears per-city delays).
   */
  setDelay(input: { city?: string; ms: number }): void;
  /** How many page requests arrived, for one city or in total. */
  requests(city?: string): number;
  requestLog(): PageRequest[];
  /** Paths of the image requests that arrived (`/view/...`), in order; failing ones included. */
  posterRequests(): string[];
  /** Back to the recorded pages, mode 'ok' and no delay everywhere, no requests (pages or posters) counted. */
  reset(): void;
  /** Stops drift, closes the server and destroys every open socket, held ones included. */
  close(): Promise<void>;
}

/** A movie a test adds to a recorded page (a clone of one of its movies, under a new id and title). */
export interface NewMovie {
  id: string;
  title: string;
  score: number | null;
  votes?: number;
  /** The cast (`data-actors`); the cloned movie's when not given. */
  actors?: string[];
}
