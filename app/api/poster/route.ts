import { env } from '@/lib/env';
import { toErrorResponse } from '@/lib/errors';
import { readClientIp } from '@/lib/net/read-client-ip';
import { toPosterResponse } from '@/lib/poster/to-poster-response';
import { getServices } from '@/lib/services';

export const dynamic = 'force-dynamic';

/** GET /api/poster?url=https://img<N>.doubanio.com/view/...: the poster, cached, with an ETag. */
export async function GET(request: Request): Promise<Response> {
  try {
    const answer = await getServices().posters.answer({
      // Every `url` given: a repeated parameter is refused, not silently narrowed to the first.
      url: new URL(request.url).searchParams.getAll('url'),
      ifNoneMatch: request.headers.get('if-none-match'),
      client: readClientIp({
        socket: null,
        forwardedFor: request.headers.get('x-forwarded-for'),
        trustProxy: env.trustProxy,
      }),
    });
    return toPosterResponse(answer);
  } catch (error) {
    return toErrorResponse(error);
  }
}
