import type { ServerResponse } from 'node:http';

/**
 * Writes a web `Response` (what lib/ answers with) to a Node response, whole: ending with the whole
 * body lets Node set Content-Length, which Next drops from route handlers' answers. A 304 has none.
 */
export async function writeResponse(answer: Response, response: ServerResponse): Promise<void> {
  const body = answer.status === 304 ? undefined : Buffer.from(await answer.arrayBuffer());
  if (response.destroyed) return;
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(body);
}
