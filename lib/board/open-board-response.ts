import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toErrorResponse } from '@/lib/errors';
import { readStreamRequest } from './read-stream-request';

/**
 * GET /api/movies/stream on the production Node server: the same contract as the route handler,
 * written straight to the Node response (see NodeResponseSession for why).
 */
export async function openBoardResponse(request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const header = request.headers['last-event-id'];
    const forwardedFor = request.headers['x-forwarded-for'];
    const { board, lastEventId, ticket } = await readStreamRequest({
      url: new URL(request.url ?? '/', 'http://localhost'),
      lastEventIdHeader: typeof header === 'string' ? header : null,
      socketAddress: request.socket.remoteAddress ?? null,
      forwardedFor: typeof forwardedFor === 'string' ? forwardedFor : null,
    });
    // The client may have left while the board loaded the shared state.
    if (response.destroyed) {
      ticket.release();
      return;
    }
    board.openResponse({ lastEventId, response, ticket });
  } catch (error) {
    const answer = toErrorResponse(error);
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(await answer.text());
  }
}
