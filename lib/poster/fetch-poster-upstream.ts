import 'server-only';
import { createHash } from 'node:crypto';
import { env } from '@/lib/env';
import { HttpError } from '@/lib/errors';
import type { CachedPoster } from '@/lib/poster/poster-cache';

/** Douban's posters weigh 20–200 KB; anything near this is not a poster. */
export const maxPosterBytes = 2 * 1024 * 1024;
// Raster images only: an SVG (or HTML) served from our origin could carry script.
const imageTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

const refuse = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new HttpError({ status: 502, code, message, details });

/**
 * Fetches one validated Douban poster URL from the image host (or `DOUBAN_IMAGE_ORIGIN`), with a
 * Douban Referer since the hosts refuse hotlinks, and within DOUBAN_TIMEOUT_MS. Refused with a 502
 * and a code: `poster-redirect` (never followed: a Location can name any host, internal ones
 * included), `poster-upstream-status`, `poster-not-an-image`, `poster-too-large` (over 2 MB,
 * announced or counted while reading), `poster-unreachable`.
 */
export async function fetchPosterUpstream(url: URL): Promise<CachedPoster> {
  const path = `${url.pathname}${url.search}`;
  const target = env.doubanImageOrigin ? `${env.doubanImageOrigin}${path}` : `${url.origin}${path}`;
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      headers: { Referer: 'https://movie.douban.com/', 'User-Agent': 'Mozilla/5.0 (compatible; NowShowing)' },
      redirect: 'manual',
      signal: AbortSignal.timeout(env.doubanTimeoutMs),
    });
  } catch {
    throw refuse('poster-unreachable', 'Douban did not send the poster.');
  }
  const type = (upstream.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const failure = checkHead(upstream, type);
  if (failure) {
    await upstream.body?.cancel().catch(() => {});
    throw failure;
  }
  const body = await readCapped(upstream);
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  return { body, contentType: type, etag };
}

/** Why the answer's status line and headers already rule it out, or null. */
function checkHead(upstream: Response, type: string): HttpError | null {
  if (upstream.type === 'opaqueredirect' || (upstream.status >= 300 && upstream.status < 400)) {
    return refuse('poster-redirect', 'Douban redirected the poster request; redirects are not followed.');
  }
  if (!upstream.ok) {
    return refuse('poster-upstream-status', `Douban answered ${upstream.status} for the poster.`, {
      upstreamStatus: upstream.status,
    });
  }
  if (!imageTypes.has(type)) {
    return refuse(
      'poster-not-an-image',
      `Douban sent ${type.slice(0, 60) || 'no type'}, not a JPEG, PNG, WebP or GIF.`,
    );
  }
  if (Number(upstream.headers.get('content-length')) > maxPosterBytes) {
    return refuse('poster-too-large', 'The poster is too large.');
  }
  return null;
}

/** The body, refused past `maxPosterBytes` even when no Content-Length announced it. */
async function readCapped(upstream: Response): Promise<Buffer<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of upstream.body ?? []) {
      size += chunk.byteLength;
      if (size > maxPosterBytes) break;
      chunks.push(chunk);
    }
  } catch {
    throw refuse('poster-unreachable', 'Douban did not send the whole poster.');
  }
  if (size > maxPosterBytes) {
    // Leaving the loop early cancelled the body, so no more of it is downloaded.
    throw refuse('poster-too-large', 'The poster is too large.');
  }
  return Buffer.concat(chunks);
}
