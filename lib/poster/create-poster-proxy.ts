import 'server-only';
import { HttpError } from '@/lib/errors';
import { logThrottled } from '@/lib/log';
import type { Metrics } from '@/lib/metrics/metrics';
import { createFetchLimiter } from './create-fetch-limiter';
import { createPosterBudget, type PosterClient } from './create-poster-budget';
import { fetchPosterUpstream } from './fetch-poster-upstream';
import { makePosterKey } from './make-poster-key';
import { parsePosterUrl } from './parse-poster-url';
import { type CachedPoster, createPosterCache, type PosterCache } from './poster-cache';

/**
 * How long a failed poster is answered from memory with the same error. Browsers do not cache our
 * error answers, so without it every page view would ask Douban again for a poster it just refused,
 * and Douban blocks addresses that ask too much. Short, so a poster that was briefly missing shows
 * up soon; bounded in count, so a flood of distinct bad paths cannot grow it.
 */
const failureMemoryMs = 30_000;
const maxRememberedFailures = 1_000;

// A poster URL names one photo forever: browsers and CDNs may keep it a year without asking again.
const cacheControl = 'public, max-age=31536000, immutable';
// A page shows ~95 posters; browsers open 6 connections per host over HTTP/1.1, and more over h2.
const answersPerClient = 32;
// Refusals by budget, counted apart from bad URLs: they say the server is being asked too much.
const budgetOutcomes: Record<string, string> = {
  'poster-budget': 'budget',
  'poster-client-budget': 'client-budget',
  'poster-client-busy': 'client-busy',
};

/**
 * A poster answer as both serving paths write it: `body` is the cache's own bytes, never a copy
 * (null for a 304). `npm start` ends its Node response with them (`writePosterAnswer`); the route
 * handler wraps them in a web Response (`toPosterResponse`). Nothing may write into `body`.
 */
export interface PosterAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | null;
  /**
   * Gives back the client's place among its 32 answers in progress (idempotent). The writer calls it
   * once the answer is written or abandoned, not before: a client that never reads its posters holds
   * its places, so it can pin at most 32 answers, however many it asks for.
   */
  release(): void;
}

/** GET /api/poster of the process: one cache, one limiter and one set of fetches in progress. */
export interface PosterProxy {
  /**
   * Answers the Douban poster at `url` (validated by `parsePosterUrl`, else a 400) from the
   * in-memory cache or Douban's image host, with a strong `ETag`, a year of `Cache-Control`, the
   * allowlisted raster `Content-Type`, `nosniff`, and `Content-Length`; a 304 without a body when
   * `ifNoneMatch` names its ETag. Upstream problems are 502s with a code (see `fetchPosterUpstream`).
   * Only a poster neither cached nor being fetched spends the fetch budgets (see `createPosterBudget`):
   * past them, 429 `poster-client-budget` or 503 `poster-budget`; past 32 answers in progress for
   * one `client` (from the request until the writer calls `release`), 429 `poster-client-busy`. Each answer counts once in `posterRequests`: `hit` (no
   * fetch of its own), `miss` (it fetched), `not-modified`, `budget`, `client-budget`,
   * `client-busy` or `refused`. Answers many clients hold unread share the cached bytes.
   */
  answer(request: {
    url: string | readonly string[] | null;
    ifNoneMatch?: string | null;
    /** The client's address (`readClientIp`); null if unreadable; left out, only the process budget applies. */
    client?: PosterClient;
  }): Promise<PosterAnswer>;
  readonly cache: PosterCache;
}

/**
 * The poster proxy, with a cache of `cacheBytes` (least recently used go first), at most
 * `fetchesPerSecond` new fetches a second from Douban's image hosts and `fetchesPerClientPerSecond`
 * per client (0: no limit; defaults 20 and 10, each with ten seconds' worth saved up), at most 16 at a
 * time and 512 waiting (see createFetchLimiter); concurrent requests for one poster share one fetch,
 * and a failure is remembered for a while.
 */
export function createPosterProxy({
  metrics,
  cacheBytes,
  fetchesPerSecond = 20,
  fetchesPerClientPerSecond = 10,
}: {
  metrics: Metrics;
  cacheBytes: number;
  fetchesPerSecond?: number;
  fetchesPerClientPerSecond?: number;
}): PosterProxy {
  const cache = createPosterCache({
    maxBytes: cacheBytes,
    onBytes: (bytes) => metrics.posterCacheBytes.set(bytes),
  });
  const limiter = createFetchLimiter({ concurrency: 16, maxWaiting: 512 });
  const budget = createPosterBudget({ fetchesPerSecond, fetchesPerClientPerSecond, answersPerClient });
  /** Fetches in progress (and recent failures), by poster URL. */
  const fetches = new Map<string, Promise<CachedPoster>>();

  const startFetch = ({ key, url }: { key: string; url: URL }): Promise<CachedPoster> => {
    const pending = limiter
      .run(() => fetchPosterUpstream(url))
      .then(
        (poster) => {
          fetches.delete(key);
          cache.set(key, poster);
          return poster;
        },
        (error: unknown) => {
          // Busy is about us, not the poster: the next request tries again.
          if (error instanceof HttpError && error.code === 'poster-busy') fetches.delete(key);
          else if (fetches.size <= maxRememberedFailures) {
            setTimeout(() => fetches.delete(key), failureMemoryMs).unref();
          } else {
            fetches.delete(key);
          }
          const code = error instanceof HttpError ? error.code : 'internal';
          logThrottled('warn', 'poster-failed', `poster-failed:${code}`, { code, url: key });
          throw error;
        },
      );
    fetches.set(key, pending);
    return pending;
  };

  return {
    cache,
    async answer({ url, ifNoneMatch = null, client }) {
      let leave = () => {};
      try {
        const poster = parsePosterUrl(url);
        leave = budget.enter(client);
        const key = makePosterKey(poster);
        let outcome: 'hit' | 'miss' = 'hit';
        let cached = cache.get(key);
        if (!cached) {
          let pending = fetches.get(key);
          if (!pending) {
            budget.spendFetch(client);
            outcome = 'miss';
            pending = startFetch({ key, url: poster });
          }
          cached = await pending;
        }
        const headers = {
          ETag: cached.etag,
          'Cache-Control': cacheControl,
          // Our pages only: other sites cannot hotlink Douban's posters through us.
          'Cross-Origin-Resource-Policy': 'same-origin',
        };
        if (matchesEtag({ ifNoneMatch, etag: cached.etag })) {
          metrics.posterRequests.inc({ outcome: 'not-modified' });
          return { status: 304, headers, body: null, release: leave };
        }
        metrics.posterRequests.inc({ outcome });
        return {
          status: 200,
          headers: {
            ...headers,
            'Content-Type': cached.contentType,
            'Content-Length': String(cached.body.byteLength),
            'X-Content-Type-Options': 'nosniff',
          },
          // The cache's own view: a Response made from it would copy it (undici slices a BufferSource).
          body: cached.body,
          release: leave,
        };
      } catch (error) {
        leave();
        const code = error instanceof HttpError ? error.code : '';
        metrics.posterRequests.inc({ outcome: budgetOutcomes[code] ?? 'refused' });
        throw error;
      }
    },
  };
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored, `*` matches any. */
function matchesEtag({ ifNoneMatch, etag }: { ifNoneMatch: string | null; etag: string }): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
