import 'server-only';
import { parseCity } from '@/lib/cities/parse-city';
import { env } from '@/lib/env';
import { HttpError, toErrorResponse } from '@/lib/errors';
import type { Metrics } from '@/lib/metrics/metrics';
import { readClientIp } from '@/lib/net/read-client-ip';
import { checkOrigin } from './check-origin';
import type { CityChannel } from './city-channel';
import type { StreamAdmission, StreamTicket } from './create-stream-admission';
import { parseLastEventId } from './parse-last-event-id';
import type { Connection } from './session';
import { streamHeaders } from './stream-headers';

/** What GET /api/movies/stream reads of a request, however it arrived. */
export interface StreamRequest {
  url: URL;
  /** A header's value, or null when absent (or given more than once as a list). */
  header(name: 'last-event-id' | 'x-forwarded-for' | 'origin' | 'sec-fetch-site' | 'host'): string | null;
  /** The peer's address when the server knows it (not in a route handler). */
  socketAddress: string | null;
}

/** What serving a stream needs of the process (see `getServices`). */
export interface StreamServices {
  metrics: Metrics;
  admission: StreamAdmission;
  /** The streams of a validated city. */
  channel(city: string): CityChannel;
}

/**
 * GET /api/movies/stream, for both ways of serving it: refuses another site's page (403, see
 * `checkOrigin`; an origin in ALLOWED_ORIGINS gets CORS headers instead); validates `city` and the version to resume
 * from, `Last-Event-ID` (header) before `lastEventId` (query), each a 400 when it is not what this
 * server would send; admits the stream under the limits (429/503); waits until the city's board holds
 * the shared state (Redis mode); then opens the stream on the connection `connect` makes (a web
 * stream for a route handler, the Node response for the production server). Nothing invalid takes a
 * place or creates a board; nothing from the request is echoed into a stream.
 *
 * Resolves null once the stream is open, or the JSON error `Response` to answer instead.
 */
export async function serveStream(
  request: StreamRequest,
  connect: (headers: Record<string, string>) => Connection,
  services: StreamServices,
): Promise<Response | null> {
  const { url } = request;
  let allowOrigin: string | null;
  try {
    allowOrigin = checkOrigin({
      origin: request.header('origin'),
      fetchSite: request.header('sec-fetch-site'),
      host: request.header('host'),
      allowed: env.allowedOrigins,
    });
  } catch (error) {
    services.metrics.streamsRejected.labels('cross-site').inc();
    return toErrorResponse(error);
  }
  let city: ReturnType<typeof parseCity>;
  let lastEventId: number | null;
  try {
    // Every value of each parameter: a repeated one is refused, not read as its first value.
    city = parseCity(url.searchParams.getAll('city'));
    lastEventId = parseLastEventId({
      header: request.header('last-event-id'),
      query: url.searchParams.getAll('lastEventId'),
    });
  } catch (error) {
    if (error instanceof HttpError) services.metrics.streamsRejected.labels('bad-request').inc();
    return toErrorResponse(error);
  }
  let ticket: StreamTicket;
  try {
    const client = readClientIp({
      socket: request.socketAddress,
      forwardedFor: request.header('x-forwarded-for'),
      trustProxy: env.trustProxy,
    });
    ticket = await services.admission.admit(client);
  } catch (error) {
    return toErrorResponse(error);
  }
  try {
    const channel = services.channel(city.slug);
    await channel.ready;
    // The connection is made only now: the client may have left while the board loaded.
    const headers: Record<string, string> = allowOrigin
      ? { ...streamHeaders, 'Access-Control-Allow-Origin': allowOrigin, Vary: 'Origin' }
      : streamHeaders;
    channel.open({ connection: connect(headers), lastEventId, ticket });
    return null;
  } catch (error) {
    ticket.release();
    return toErrorResponse(error);
  }
}
