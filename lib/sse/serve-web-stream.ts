import 'server-only';
import { type StreamServices, serveStream } from './serve-stream';
import { WebStreamConnection } from './web-stream-connection';

/** GET /api/movies/stream as a route handler: the city's live events as a web `ReadableStream`. */
export async function serveWebStream(request: Request, services: StreamServices): Promise<Response> {
  let stream: ReadableStream<Uint8Array> | undefined;
  let headers: Record<string, string> = {};
  const refused = await serveStream(
    { url: new URL(request.url), header: (name) => request.headers.get(name), socketAddress: null },
    (streamHeaders) => {
      const connection = new WebStreamConnection(request.signal);
      stream = connection.stream;
      headers = streamHeaders;
      return connection;
    },
    services,
  );
  return refused ?? new Response(stream, { headers });
}
