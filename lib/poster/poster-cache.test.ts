import { describe, expect, it } from 'vitest';
import { type CachedPoster, createPosterCache } from './poster-cache';

const posterOf = (bytes: number): CachedPoster => ({
  body: new Uint8Array(bytes),
  contentType: 'image/jpeg',
  etag: `"${bytes}"`,
});

describe('createPosterCache', () => {
  it('drops the least recently used posters once the bytes would pass the bound', () => {
    const sizes: number[] = [];
    const cache = createPosterCache({ maxBytes: 1000, onBytes: (bytes) => sizes.push(bytes) });
    cache.set('a', posterOf(250));
    cache.set('b', posterOf(250));
    cache.set('c', posterOf(250));
    cache.set('d', posterOf(250));
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used, b the least
    cache.set('e', posterOf(250));
    expect(cache.get('b')).toBeUndefined();
    for (const key of ['a', 'c', 'd', 'e']) expect(cache.get(key)).toBeDefined();
    expect(cache.bytes()).toBe(1000);
    expect(sizes).toEqual([250, 500, 750, 1000, 1000]);
  });

  it('does not keep a poster over a quarter of the bound, so it cannot flush the small ones', () => {
    const cache = createPosterCache({ maxBytes: 1000 });
    cache.set('small', posterOf(100));
    cache.set('large', posterOf(251));
    expect(cache.get('large')).toBeUndefined();
    expect(cache.get('small')).toBeDefined();
    expect(cache.bytes()).toBe(100);
  });

  it('forgets what a key held when a poster too large to keep replaces it, rather than serve the old one', () => {
    const sizes: number[] = [];
    const cache = createPosterCache({ maxBytes: 1000, onBytes: (bytes) => sizes.push(bytes) });
    cache.set('a', posterOf(100));
    cache.set('a', posterOf(251));
    expect(cache.get('a')).toBeUndefined();
    expect(sizes).toEqual([100, 0]);
  });

  it('counts a poster stored twice under one key once', () => {
    const cache = createPosterCache({ maxBytes: 1000 });
    cache.set('a', posterOf(200));
    cache.set('a', posterOf(100));
    expect(cache.bytes()).toBe(100);
    expect(cache.get('a')?.body.byteLength).toBe(100);
  });

  it('keeps nothing when the bound is 0', () => {
    const cache = createPosterCache({ maxBytes: 0 });
    cache.set('a', posterOf(1));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes()).toBe(0);
  });
});
