import type { IncomingMessage, ServerResponse } from 'node:http';
import { getServices } from '@/lib/services';
import { NodeResponseConnection } from '@/lib/sse/node-response-connection';
import { serveStream } from '@/lib/sse/serve-stream';
import { writeResponse } from './write-response';

/**
 * GET /api/movies/stream on the production server: the same contract as the route handler, written
 * straight to the Node response (see NodeResponseConnection for why).
 */
export async function serveNodeStream(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const refused = await serveStream(
    {
      url: new URL(request.url ?? '/', 'http://localhost'),
      header: (name) => {
        const value = request.headers[name];
        return typeof value === 'string' ? value : null;
      },
      socketAddress: request.socket.remoteAddress ?? null,
    },
    (headers) => new NodeResponseConnection(response, headers),
    getServices(),
  );
  if (refused) await writeResponse(refused, response);
}
