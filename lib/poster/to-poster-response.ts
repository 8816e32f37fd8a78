import 'server-only';
import type { PosterAnswer } from './create-poster-proxy';

/**
 * The web Response of a poster answer, for the route handler, without copying the poster: undici
 * copies a Uint8Array given as a Response body (it slices the ArrayBuffer), but passes on the chunks
 * of a ReadableStream as they are, so the cached view goes out as the one chunk of a stream. A plain
 * (not byte) stream: a byte stream would take the cache's ArrayBuffer away (transfer it) on enqueue.
 */
export function toPosterResponse({ status, headers, body, release }: PosterAnswer): Response {
  if (!body) {
    release();
    return new Response(null, { status, headers });
  }
  // The client's place is given back once the server has taken the bytes (the stream's next pull
  // after them) or dropped them (cancel): a client that does not read keeps its place meanwhile.
  let sent = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent) {
          controller.close();
          release();
          return;
        }
        sent = true;
        controller.enqueue(body);
      },
      cancel: release,
    },
    // No chunk queued ahead: `pull` runs only when the consumer asks for one.
    { highWaterMark: 0 },
  );
  return new Response(stream, { status, headers });
}
