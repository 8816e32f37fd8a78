import 'server-only';
import type { PosterAnswer } from './create-poster-proxy';

/**
 * The web Response of a poster answer, for the route handler, without copying the poster: undici
 * copies a Uint8Array given as a Response body (it slices the ArrayBuffer), but passes on the chunks
 * of a ReadableStream as they are, so the cached view goes out as the one chunk of a stream. A plain
 * (not byte) stream: a byte stream would take the cache's ArrayBuffer away (transfer it) on enqueue.
 */
export function toPosterResponse({ status, headers, body }: PosterAnswer): Response {
  if (!body) return new Response(null, { status, headers });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
  return new Response(stream, { status, headers });
}
