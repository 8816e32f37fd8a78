import 'server-only';

/**
 * The cache key of a poster URL validated by `parsePosterUrl`: its path alone. img1 to img9 serve
 * the same photos under the same paths, so which host a page named must not make a second entry
 * (nor a second fetch from Douban).
 */
export function makePosterKey(url: URL): string {
  return `doubanio${url.pathname}`;
}
