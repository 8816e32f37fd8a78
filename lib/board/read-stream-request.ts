import 'server-only';
import { parseCity } from '@/lib/cities/find-city';
import { parseLastEventId } from '@/lib/sse/parse-last-event-id';
import type { CityBoard } from './city-board';
import { getBoard } from './get-board';

/**
 * The boundary of GET /api/movies/stream, for both ways of serving it: validates `city` (a 400
 * `HttpError` otherwise) and reads the version to resume from, `Last-Event-ID` (header) before
 * `lastEventId` (query). Resolves the city's board once it holds the shared state (Redis mode).
 * Only validated values go further; nothing from the request is echoed into a stream.
 */
export async function readStreamRequest({
  url,
  lastEventIdHeader,
}: {
  url: URL;
  lastEventIdHeader: string | null;
}): Promise<{ board: CityBoard; lastEventId: number | null }> {
  const city = parseCity(url.searchParams.get('city'));
  const lastEventId = parseLastEventId({
    header: lastEventIdHeader,
    query: url.searchParams.get('lastEventId'),
  });
  const board = getBoard(city.slug);
  await board.ready;
  return { board, lastEventId };
}
