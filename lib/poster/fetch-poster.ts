import 'server-only';
import { env } from '@/lib/env';
import { HttpError } from '@/lib/errors';

const maxPosterBytes = 2 * 1024 * 1024;
const imageTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/**
 * Fetches a validated Douban poster with a Douban Referer (the image hosts refuse hotlinks) and
 * answers with it. A poster's URL names one photo forever, so browsers and CDNs may keep it a week.
 */
export async function fetchPoster(url: URL): Promise<Response> {
  const target = env.doubanImageOrigin ? `${env.doubanImageOrigin}${url.pathname}` : url.href;
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      headers: { Referer: 'https://movie.douban.com/', 'User-Agent': 'Mozilla/5.0 (compatible; NowShowing)' },
      redirect: 'manual',
      signal: AbortSignal.timeout(env.doubanTimeoutMs),
    });
  } catch {
    throw new HttpError({
      status: 502,
      code: 'poster-unreachable',
      message: 'Douban did not send the poster.',
    });
  }
  // Raster images only: an SVG from our origin could carry script.
  const type = (upstream.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const length = Number(upstream.headers.get('content-length') ?? 0);
  if (!upstream.ok || !imageTypes.has(type) || length > maxPosterBytes) {
    await upstream.body?.cancel();
    throw new HttpError({
      status: 502,
      code: 'poster-refused',
      message: `Douban answered ${upstream.status} ${type || 'without a type'} for the poster.`,
    });
  }
  return new Response(await readCapped(upstream), {
    headers: {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=604800, immutable',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** The body, refused past `maxPosterBytes` even when no Content-Length announced it. */
async function readCapped(upstream: Response): Promise<Buffer<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of upstream.body ?? []) {
      size += chunk.byteLength;
      if (size > maxPosterBytes) {
        await upstream.body?.cancel();
        throw new HttpError({ status: 502, code: 'poster-too-large', message: 'The poster is too large.' });
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError({
      status: 502,
      code: 'poster-unreachable',
      message: 'Douban did not send the whole poster.',
    });
  }
  return Buffer.concat(chunks);
}
