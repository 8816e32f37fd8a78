import 'server-only';
import { parseCity } from '@/lib/cities/find-city';
import { env } from '@/lib/env';
import { HttpError } from '@/lib/errors';
import { metrics } from '@/lib/metrics/metrics';
import { admitStream, type StreamTicket } from '@/lib/sse/admit-stream';
import { parseLastEventId } from '@/lib/sse/parse-last-event-id';
import { readClientIp } from '@/lib/sse/read-client-ip';
import type { CityBoard } from './city-board';
import { getBoard } from './get-board';

/**
 * The boundary of GET /api/movies/stream, for both ways of serving it: validates `city` and the
 * version to resume from, `Last-Event-ID` (header) before `lastEventId` (query), each a 400
 * `HttpError` when it is not what this server would send; then admits the stream under the limits
 * (429/503, see `admitStream`) and resolves the city's board once it holds the shared state (Redis
 * mode). Nothing invalid takes a place or creates a board. Only validated values go
 * further; nothing from the request is echoed into a stream. The caller owns the ticket.
 */
export async function readStreamRequest({
  url,
  lastEventIdHeader,
  socketAddress,
  forwardedFor,
}: {
  url: URL;
  lastEventIdHeader: string | null;
  /** The peer's address when the server knows it (not in a route handler). */
  socketAddress: string | null;
  forwardedFor: string | null;
}): Promise<{ board: CityBoard; lastEventId: number | null; ticket: StreamTicket }> {
  let city: ReturnType<typeof parseCity>;
  let lastEventId: number | null;
  try {
    // Every value of each parameter: a repeated one is refused, not read as its first value.
    city = parseCity(url.searchParams.getAll('city'));
    lastEventId = parseLastEventId({
      header: lastEventIdHeader,
      query: url.searchParams.getAll('lastEventId'),
    });
  } catch (error) {
    if (error instanceof HttpError) metrics.streamsRejected.labels('bad-request').inc();
    throw error;
  }
  const ticket = admitStream(
    readClientIp({ socket: socketAddress, forwardedFor, trustProxy: env.trustProxy }),
  );
  try {
    const board = getBoard(city.slug);
    await board.ready;
    return { board, lastEventId, ticket };
  } catch (error) {
    ticket.release();
    throw error;
  }
}
