import 'server-only';
import { LRUCache } from 'lru-cache';

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
  /**
   * Keeps `poster` unless it is over a quarter of the bound (then nothing is kept under `key`); drops
   * least recently used ones to fit.
   */
  set(key: string, poster: CachedPoster): void;
  /** Bytes of poster bodies held now. */
  bytes(): number;
}

/**
 * A least-recently-used cache of posters bounded by the total bytes of their bodies (0: keeps
 * nothing), on lru-cache's `maxSize` with each entry sized by its body. One poster may take at most a
 * quarter of the bound (`maxEntrySize`), so a few large ones cannot flush the many small ones a page
 * shows. `onBytes` hears the new total after every change (the process cache reports it as a gauge).
 */
export function createPosterCache({
  maxBytes,
  onBytes = () => {},
}: {
  maxBytes: number;
  onBytes?: (bytes: number) => void;
}): PosterCache {
  const maxPosterBytes = Math.floor(maxBytes / 4);
  // lru-cache wants positive bounds; a bound that no poster fits under keeps nothing.
  if (maxPosterBytes < 1) return { get: () => undefined, set: () => {}, bytes: () => 0 };
  const entries = new LRUCache<string, CachedPoster>({
    maxSize: maxBytes,
    maxEntrySize: maxPosterBytes,
    // lru-cache refuses a size of 0; an empty body still takes an entry.
    sizeCalculation: (poster) => Math.max(1, poster.body.byteLength),
  });
  return {
    get: (key) => entries.get(key),
    set(key, poster) {
      entries.set(key, poster);
      onBytes(entries.calculatedSize);
    },
    bytes: () => entries.calculatedSize,
  };
}
