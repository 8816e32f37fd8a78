import 'server-only';
import { env } from '@/lib/env';
import type { NowPlayingPage } from '@/lib/types';
import { createInlineParser } from './create-inline-parser';
import type { PageParser } from './page-parser';
import type { PageBody } from './parse-page';
import { UpstreamError } from './upstream-error';

// Douban answers scripts without a browser User-Agent with 418, and checks the Referer.
const headers = {
  'User-Agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  Referer: 'https://movie.douban.com/',
  Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.6',
};

/** A page larger than this is not a now-showing page (the real one is ~200 KB). */
const maxBodyBytes = 5 * 1024 * 1024;

/** Scripts and tests parse on their own thread and count nothing. */
const inlineParser = createInlineParser();

/**
 * Fetches and parses one city's now-showing page (`${DOUBAN_BASE_URL}/cinema/nowplaying/${city}/`).
 * Anything but a complete now-showing page throws `UpstreamError` with a short reason: a non-2xx
 * status (`http-403`, `http-418`...), `redirect` (none is followed: Douban sends flagged clients to
 * sec.douban.com, whose page is not a board), `timeout` after `DOUBAN_TIMEOUT_MS` (headers and body
 * together), `network`, `too-large` past 5 MB, or `parser`'s verdict on the body (`unknown-charset`,
 * `too-deep`, `not-a-nowplaying-page`..., and the pool's `parse-timeout`, `parse-busy`, `parse-failed`).
 * The fetch's timeout does not cover the parse: the parser bounds its own time.
 */
export async function fetchNowPlaying({
  city,
  parser = inlineParser,
}: {
  city: string;
  /** Decodes and parses the body: the server's parse worker (`createParsePool`), by default on this thread. */
  parser?: PageParser;
}): Promise<NowPlayingPage> {
  const url = `${env.doubanBaseUrl}/cinema/nowplaying/${encodeURIComponent(city)}/`;
  const signal = AbortSignal.timeout(env.doubanTimeoutMs);
  let body: PageBody;
  try {
    const response = await fetch(url, {
      headers: env.doubanCookie ? { ...headers, Cookie: env.doubanCookie } : headers,
      redirect: 'manual',
      signal,
      cache: 'no-store',
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new UpstreamError({
        reason: 'redirect',
        message: `Douban redirected to ${response.headers.get('location')}`,
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new UpstreamError({
        reason: `http-${response.status}`,
        message: `Douban answered ${response.status}`,
      });
    }
    body = { bytes: await readBody(response), contentType: response.headers.get('content-type') };
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    if (signal.aborted) {
      throw new UpstreamError({
        reason: 'timeout',
        message: `Douban did not answer in ${env.doubanTimeoutMs} ms`,
      });
    }
    throw new UpstreamError({
      reason: 'network',
      message: `Could not reach Douban: ${(error as Error).message}`,
    });
  }
  return parser.parse(body);
}

/** The body's bytes, refused as soon as it is known to pass `maxBodyBytes` (declared or counted). */
async function readBody(response: Response): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBodyBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBodyBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): UpstreamError {
  return new UpstreamError({ reason: 'too-large', message: `Douban's page is over ${maxBodyBytes} bytes` });
}
