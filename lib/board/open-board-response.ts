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
    const { board, lastEventId } = await readStreamRequest({
      url: new URL(request.url ?? '/', 'http://localhost'),
      lastEventIdHeader: typeof header === 'string' ? header : null,
    });
    // The client may have left while the board loaded the shared state.
    if (response.destroyed) return;
    board.openResponse({ lastEventId, response });
  } catch (error) {
    const answer = toErrorResponse(error);
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(await answer.text());
  }
}
