import { toErrorResponse } from '@/lib/errors';
import { readFilmHistory } from '@/lib/history/read-film-history';
import { getServices } from '@/lib/services';

export const dynamic = 'force-dynamic';

/** A film's recorded score, votes and 想看 over time, and its entries and exits in `city`. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const film = await readFilmHistory({
      id: (await params).id,
      city: new URL(request.url).searchParams.getAll('city'),
      history: getServices().history,
    });
    return Response.json(film, { headers: { 'Cache-Control': 'no-cache' } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
