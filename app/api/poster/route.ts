import { toErrorResponse } from '@/lib/errors';
import { fetchPoster } from '@/lib/poster/fetch-poster';
import { parsePosterUrl } from '@/lib/poster/parse-poster-url';

export const dynamic = 'force-dynamic';

/** GET /api/poster?url=https://img<N>.doubanio.com/view/...: the poster, fetched with a Douban Referer. */
export async function GET(request: Request): Promise<Response> {
  try {
    return await fetchPoster(parsePosterUrl(new URL(request.url).searchParams.getAll('url')));
  } catch (error) {
    return toErrorResponse(error);
  }
}
