import 'server-only';
import { parseCity } from '@/lib/cities/find-city';
import { parseLastEventId } from '@/lib/sse/parse-last-event-id';
import { getBoard } from './get-board';

/** Headers that keep every proxy and CDN from buffering, caching or compressing the stream. */
const streamHeaders = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

/**
 * GET /api/movies/stream: validates `city` (400 otherwise) and resumes from `Last-Event-ID` (header)
 * or `lastEventId` (query), then answers with the city's live event stream. Only validated values
 * reach the stream; nothing from the request is echoed into it.
 */
export async function openBoardStream(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const city = parseCity(url.searchParams.get('city'));
  const lastEventId = parseLastEventId({
    header: request.headers.get('last-event-id'),
    query: url.searchParams.get('lastEventId'),
  });
  const board = getBoard(city.slug);
  // With Redis, a board this instance has not served yet first loads the cluster's board and history.
  await board.ready;
  const stream = board.openStream({ lastEventId, signal: request.signal });
  return new Response(stream, { headers: streamHeaders });
}
