import 'server-only';
import { HttpError } from '@/lib/errors';

const MAX_LENGTH = 500;
// Printable ASCII only, checked before parsing: the URL parser would silently drop tabs and CR/LF and
// trim controls, so `https://img1.doubanio.com/vi\new/...` would otherwise pass as a clean URL.
const PLAIN = /^[\x21-\x7e]+$/;
// Douban's image hosts are img1 to img9; other numbers are only more names for a cache to fill.
const HOST = /^img[1-9]\.doubanio\.com$/;
// Segments of lower-case letters, digits, `_` and `-` ending in an image name: no `..`, no encoded
// bytes. Douban writes its poster paths in lower case; refusing the other spellings keeps one photo
// one name, so case cannot make fresh cache misses out of a cached poster.
const PATH = /^\/view\/(?:[a-z0-9_-]+\/)*[a-z0-9_-]+\.(?:jpe?g|png|webp|gif)$/;

/**
 * Accepts only Douban poster URLs: `https://img<1-9>.doubanio.com/view/.../<name>.<jpg|png|webp|gif>`
 * in lower case, default port, no user info, query or fragment, at most 500 characters, given once. Everything else
 * is a 400: the poster route must never become an open proxy, nor a way to make Douban's CDN fetch
 * the same poster under endless cache-busting names.
 *
 * @throws {HttpError} 400 `bad-poster-url`, saying what is wrong.
 */
export function parsePosterUrl(values: string | readonly string[] | null): URL {
  const reject = (message: string) =>
    new HttpError({
      status: 400,
      code: 'bad-poster-url',
      message: `${message} Only https://img<N>.doubanio.com/view/... images are served.`,
    });
  const all = values === null ? [] : typeof values === 'string' ? [values] : values;
  if (all.length > 1) throw reject('The url parameter is given more than once.');
  const input = all[0];
  if (!input) throw reject('The url parameter is missing.');
  if (input.length > MAX_LENGTH) throw reject(`The url is longer than ${MAX_LENGTH} characters.`);
  if (!PLAIN.test(input)) throw reject('The url contains spaces, control or non-ASCII characters.');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw reject('The url is not a URL.');
  }
  if (url.protocol !== 'https:') throw reject('The url is not https.');
  if (url.username !== '' || url.password !== '') throw reject('The url carries user info.');
  if (!HOST.test(url.hostname) || url.port !== '') throw reject('The url is not on a Douban image host.');
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(input)) {
    throw reject('The url has a query or fragment.');
  }
  if (!PATH.test(url.pathname)) throw reject('The url is not a Douban poster path.');
  // What the parser normalised away (`..`, a backslash, upper case, `:443`) is not how Douban writes it.
  if (url.href !== input) throw reject('The url is not written in its plain form.');
  return url;
}
