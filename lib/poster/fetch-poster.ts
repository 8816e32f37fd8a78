import 'server-only';
import { env } from '@/lib/env';
import { HttpError } from '@/lib/errors';

const maxPosterBytes = 2 * 1024 * 1024;

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
  const type = upstream.headers.get('content-type') ?? '';
  const length = Number(upstream.headers.get('content-length') ?? 0);
  if (!upstream.ok || !type.startsWith('image/') || length > maxPosterBytes) {
    await upstream.body?.cancel();
    throw new HttpError({
      status: 502,
      code: 'poster-refused',
      message: `Douban answered ${upstream.status} ${type || 'without a type'} for the poster.`,
    });
  }
  const body = await upstream.arrayBuffer();
  if (body.byteLength > maxPosterBytes) {
    throw new HttpError({ status: 502, code: 'poster-too-large', message: 'The poster is too large.' });
  }
  return new Response(body, {
    headers: {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=604800, immutable',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
