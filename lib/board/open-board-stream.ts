import 'server-only';
import { streamHeaders } from '@/lib/sse/stream-headers';
import { readStreamRequest } from './read-stream-request';

/** GET /api/movies/stream as a route handler: the city's live events as a web `ReadableStream`. */
export async function openBoardStream(request: Request): Promise<Response> {
  const { board, lastEventId, ticket } = await readStreamRequest({
    url: new URL(request.url),
    lastEventIdHeader: request.headers.get('last-event-id'),
    socketAddress: null,
    forwardedFor: request.headers.get('x-forwarded-for'),
  });
  const stream = board.openStream({ lastEventId, signal: request.signal, ticket });
  return new Response(stream, { headers: streamHeaders });
}
