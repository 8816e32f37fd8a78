import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toErrorResponse } from '@/lib/errors';
import { fetchPoster } from '@/lib/poster/fetch-poster';

/**
 * GET /api/poster on the production Node server: the route handler's answer, written straight to
 * the Node response. Next drops `Content-Length` from every route handler's Response and streams it
 * chunked; a poster is a known number of bytes, so here it goes out with its length, and without
 * Next's per-request work for each of the dozens of posters a page shows.
 */
export async function fetchPosterToNode(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let answer: Response;
  try {
    const ifNoneMatch = request.headers['if-none-match'];
    answer = await fetchPoster({
      url: new URL(request.url ?? '/', 'http://localhost').searchParams.getAll('url'),
      ifNoneMatch: typeof ifNoneMatch === 'string' ? ifNoneMatch : null,
    });
  } catch (error) {
    answer = toErrorResponse(error);
  }
  const body = Buffer.from(await answer.arrayBuffer());
  if (response.destroyed) return;
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  // A 304 has no body; for the rest, ending with the whole body lets Node set Content-Length.
  response.end(answer.status === 304 ? undefined : body);
}
