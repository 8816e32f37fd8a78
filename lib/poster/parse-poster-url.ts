import 'server-only';
import { HttpError } from '@/lib/errors';

/**
 * Accepts only Douban poster URLs: `https://img<N>.doubanio.com/view/...`, default port, no user info.
 * Everything else is a 400: the poster route must never become an open proxy.
 */
export function parsePosterUrl(input: string | null): URL {
  const reject = (message: string) =>
    new HttpError({
      status: 400,
      code: 'bad-poster-url',
      message: `${message} Only https://img<N>.doubanio.com/view/... is served.`,
    });
  if (!input) throw reject('The url parameter is missing.');
  if (input.length > 500) throw reject('The url is too long.');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw reject('The url is not a URL.');
  }
  if (
    url.protocol !== 'https:' ||
    !/^img\d{1,2}\.doubanio\.com$/.test(url.hostname) ||
    url.port !== '' ||
    url.username !== '' ||
    url.password !== '' ||
    !url.pathname.startsWith('/view/') ||
    url.pathname.includes('..')
  ) {
    throw reject('The url is not a Douban poster.');
  }
  return url;
}
