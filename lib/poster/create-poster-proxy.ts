import 'server-only';
import { HttpError } from '@/lib/errors';
import { logThrottled } from '@/lib/log';
import type { Metrics } from '@/lib/metrics/metrics';
import { createFetchLimiter } from './create-fetch-limiter';
import { fetchPosterUpstream } from './fetch-poster-upstream';
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

/** GET /api/poster of the process: one cache, one limiter and one set of fetches in progress. */
export interface PosterProxy {
  /**
   * Answers the Douban poster at `url` (validated by `parsePosterUrl`, else a 400) from the
   * in-memory cache or Douban's image host, with a strong `ETag`, a year of `Cache-Control`, the
   * allowlisted raster `Content-Type`, `nosniff`, and `Content-Length`; a 304 without a body when
   * `ifNoneMatch` names its ETag. Upstream problems are 502s with a code (see `fetchPosterUpstream`).
   * Each answer counts once in `posterRequests`: `hit` (no fetch of its own), `miss` (it fetched),
   * `not-modified` or `refused`.
   */
  answer(request: { url: string | readonly string[] | null; ifNoneMatch?: string | null }): Promise<Response>;
  readonly cache: PosterCache;
}

/**
 * The poster proxy, with a cache of `cacheBytes` (least recently used go first), at most 16 requests
 * to Douban's image hosts at a time and 512 waiting (see createFetchLimiter); concurrent requests
 * for one poster share one fetch, and a failure is remembered for a while.
 */
export function createPosterProxy({
  metrics,
  cacheBytes,
}: {
  metrics: Metrics;
  cacheBytes: number;
}): PosterProxy {
  const cache = createPosterCache({
    maxBytes: cacheBytes,
    onBytes: (bytes) => metrics.posterCacheBytes.set(bytes),
  });
  const limiter = createFetchLimiter({ concurrency: 16, maxWaiting: 512 });
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
    async answer({ url, ifNoneMatch = null }) {
      try {
        const poster = parsePosterUrl(url);
        // The fragment is never sent; without it, one photo is one cache entry.
        const key = `${poster.origin}${poster.pathname}${poster.search}`;
        let outcome: 'hit' | 'miss' = 'hit';
        let cached = cache.get(key);
        if (!cached) {
          let pending = fetches.get(key);
          if (!pending) {
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
          return new Response(null, { status: 304, headers });
        }
        metrics.posterRequests.inc({ outcome });
        return new Response(cached.body, {
          headers: {
            ...headers,
            'Content-Type': cached.contentType,
            'Content-Length': String(cached.body.byteLength),
            'X-Content-Type-Options': 'nosniff',
          },
        });
      } catch (error) {
        metrics.posterRequests.inc({ outcome: 'refused' });
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
