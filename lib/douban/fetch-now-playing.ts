import 'server-only';
import { env } from '@/lib/env';
import type { NowPlayingPage } from '@/lib/types';
import { parseNowPlaying } from './parse-now-playing';
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

/**
 * Fetches and parses one city's now-showing page (`${DOUBAN_BASE_URL}/cinema/nowplaying/${city}/`).
 * Anything but a complete now-showing page throws `UpstreamError` with a short reason: a non-2xx
 * status (`http-403`, `http-418`...), a redirect (Douban sends flagged clients to sec.douban.com),
 * `timeout` after `DOUBAN_TIMEOUT_MS`, `network`, `too-large`, or the parser's verdict on the body.
 */
export async function fetchNowPlaying({ city }: { city: string }): Promise<NowPlayingPage> {
  const url = `${env.doubanBaseUrl}/cinema/nowplaying/${encodeURIComponent(city)}/`;
  const signal = AbortSignal.timeout(env.doubanTimeoutMs);
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
    return parseNowPlaying(await readText(response));
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
}

async function readText(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBodyBytes) throw tooLarge();
  const reader = response.body?.getReader();
  if (!reader) return '';
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
  // Douban serves UTF-8; a page in another charset would fail the parse as not-a-nowplaying-page.
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function tooLarge(): UpstreamError {
  return new UpstreamError({ reason: 'too-large', message: `Douban's page is over ${maxBodyBytes} bytes` });
}
