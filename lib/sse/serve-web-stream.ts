import 'server-only';
import { type StreamServices, serveStream } from './serve-stream';
import { streamHeaders } from './stream-headers';
import { WebStreamConnection } from './web-stream-connection';

/** GET /api/movies/stream as a route handler: the city's live events as a web `ReadableStream`. */
export async function serveWebStream(request: Request, services: StreamServices): Promise<Response> {
  let stream: ReadableStream<Uint8Array> | undefined;
  const refused = await serveStream(
    { url: new URL(request.url), header: (name) => request.headers.get(name), socketAddress: null },
    () => {
      const connection = new WebStreamConnection(request.signal);
      stream = connection.stream;
      return connection;
    },
    services,
  );
  return refused ?? new Response(stream, { headers: streamHeaders });
}
