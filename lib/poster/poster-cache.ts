import 'server-only';
import { env } from '@/lib/env';
import { getServices } from '@/lib/services';
import { singleton } from '@/lib/singleton';

/** A poster as the proxy answers it: bytes checked once, their ETag computed once. */
export interface CachedPoster {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  /** Strong validator, quotes included (`"…"`): a hash of `body`. */
  etag: string;
}

export interface PosterCache {
  /** The poster under `key`, now the most recently used; undefined when not held. */
  get(key: string): CachedPoster | undefined;
  /** Keeps `poster` unless it is over a quarter of the bound; drops least recently used ones to fit. */
  set(key: string, poster: CachedPoster): void;
  /** Bytes of poster bodies held now. */
  bytes(): number;
}

/**
 * A least-recently-used cache of posters bounded by the total bytes of their bodies (0: keeps
 * nothing). A Map iterates in insertion order, so deleting and re-inserting on each use keeps the
 * least recently used first: eviction is O(1) without a linked list. One poster may take at most a
 * quarter of the bound, so a few large ones cannot flush the many small ones a page shows.
 * `onBytes` hears the new total after every change (the process cache reports it as a gauge).
 */
export function createPosterCache({
  maxBytes,
  onBytes = () => {},
}: {
  maxBytes: number;
  onBytes?: (bytes: number) => void;
}): PosterCache {
  const entries = new Map<string, CachedPoster>();
  let total = 0;
  const remove = (key: string): void => {
    const old = entries.get(key);
    if (!old) return;
    entries.delete(key);
    total -= old.body.byteLength;
  };
  return {
    get(key) {
      const poster = entries.get(key);
      if (poster) {
        entries.delete(key);
        entries.set(key, poster);
      }
      return poster;
    },
    set(key, poster) {
      const size = poster.body.byteLength;
      if (size > maxBytes / 4) return;
      remove(key);
      for (const oldest of entries.keys()) {
        if (total + size <= maxBytes) break;
        remove(oldest);
      }
      entries.set(key, poster);
      total += size;
      onBytes(total);
    },
    bytes: () => total,
  };
}

/** The process's poster cache, POSTER_CACHE_BYTES large, shared by every Next bundle. */
export const posterCache: PosterCache = singleton('poster-cache', () =>
  createPosterCache({
    maxBytes: env.posterCacheBytes,
    onBytes: (bytes) => getServices().metrics.posterCacheBytes.set(bytes),
  }),
);
