import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import next from 'next';
import { env } from '@/lib/env';
import { toErrorResponse } from '@/lib/errors';
import { handleShutdownSignals } from '@/lib/handle-shutdown-signals';
import { readClientIp } from '@/lib/net/read-client-ip';
import type { PosterAnswer } from '@/lib/poster/create-poster-proxy';
import { getServices } from '@/lib/services';
import { shuttingDownSince } from '@/lib/shutdown';
import { createConnectionDrain } from './create-connection-drain';
import { listenForProbes } from './listen-for-probes';
import { pathOf } from './path-of';
import { serveNodeStream } from './serve-node-stream';
import { writePosterAnswer } from './write-poster-answer';
import { writeResponse } from './write-response';

/**
 * The production server (`npm start`): Next serves every page and route as usual, except the event
 * stream, which this process writes straight to the socket with the same lib/ code the route handler
 * uses. An open stream then costs about what a bare Node server pays, not Next's per-request
 * machinery that stays suspended for as long as a stream is open (see the README's performance
 * section). `next dev` and Vercel keep using app/api/movies/stream/route.ts. Posters are written
 * straight too, so they carry their Content-Length (Next drops it from route handler answers).
 *
 * Flags as `next start`: -p/--port (or PORT, default 3000), -H/--hostname (default: all interfaces).
 */
function readFlag(names: string[]): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((arg) => names.includes(arg));
  return at === -1 ? undefined : args[at + 1];
}

/** GET /api/poster, as the route handler answers it: the cached bytes, not a copy; errors as JSON. */
async function servePoster(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let answer: PosterAnswer;
  try {
    const ifNoneMatch = request.headers['if-none-match'];
    const forwardedFor = request.headers['x-forwarded-for'];
    answer = await getServices().posters.answer({
      url: new URL(request.url ?? '/', 'http://localhost').searchParams.getAll('url'),
      ifNoneMatch: typeof ifNoneMatch === 'string' ? ifNoneMatch : null,
      client: readClientIp({
        socket: request.socket.remoteAddress ?? null,
        forwardedFor: typeof forwardedFor === 'string' ? forwardedFor : null,
        trustProxy: env.trustProxy,
      }),
    });
  } catch (error) {
    return writeResponse(toErrorResponse(error), response);
  }
  writePosterAnswer({ answer, response });
}

async function main(): Promise<void> {
  const port = Number(readFlag(['-p', '--port']) ?? process.env.PORT ?? 3000);
  const hostname = readFlag(['-H', '--hostname']);
  const connections = createConnectionDrain();
  // Built here, by this bundle and outside any request, before Next can build them from a route:
  // then the stream path and the polls run this bundle's code (packages loaded from node_modules),
  // and no timer of the process keeps the async context of the first request Next served.
  getServices();
  // Before Next starts: its instrumentation hook, which runs here too, then finds SIGTERM handled.
  let closeServer = async () => {};
  handleShutdownSignals({ exitCode: () => 0, closeServer: () => closeServer() });
  const app = next({ dev: false, dir: process.cwd(), port, hostname });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((request, response) => {
    const path = pathOf(request);
    // Streams are not tracked here (it would cost every open stream a listener): at shutdown each
    // one closes its own connection (NodeResponseConnection), and a refused one says Connection: close.
    if (request.method === 'GET' && path === '/api/movies/stream') {
      if (shuttingDownSince()) connections.track(request, response);
      void serveNodeStream(request, response);
      return;
    }
    connections.track(request, response);
    if (request.method === 'GET' && path === '/api/poster') void servePoster(request, response);
    else void handle(request, response);
  });
  // At shutdown: close each connection once its response is done, so nothing comes back on it, and
  // stop accepting connections, but for health probes (a stand-in on the same address answers them
  // until the process exits); resolves once in-flight requests have finished.
  closeServer = () => {
    connections.drain();
    const address = server.address();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (address && typeof address === 'object') listenForProbes({ port: address.port, hostname });
    return closed;
  };
  server.listen(port, hostname, () => {
    console.log(`✓ Ready on http://${hostname ?? 'localhost'}:${port}`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
