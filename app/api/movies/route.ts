import { readBoardJson } from '@/lib/board/read-board';
import { parseCity } from '@/lib/cities/parse-city';
import { toErrorResponse } from '@/lib/errors';
import { getServices } from '@/lib/services';

export const dynamic = 'force-dynamic';

/** The current board of one city: `{ city, version, fetchedAt, stale, source, nowPlaying, upcoming }`. */
export async function GET(request: Request): Promise<Response> {
  try {
    const city = parseCity(new URL(request.url).searchParams.getAll('city'));
    return new Response(await readBoardJson({ city: city.slug, boards: getServices().boards }), {
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
