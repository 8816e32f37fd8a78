import { createServer } from 'node:http';
import next from 'next';
import { stopPolling } from '@/lib/board/get-board';
import { openBoardResponse } from '@/lib/board/open-board-response';
import { env } from '@/lib/env';
import { logEvent } from '@/lib/log';
import { fetchPosterToNode } from '@/lib/poster/fetch-poster-to-node';
import { beginShutdown, claimShutdown, shuttingDownSince } from '@/lib/shutdown';
import { closeAllSessions } from '@/lib/sse/session-ticker';
import { createConnectionDrain } from './create-connection-drain';

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

async function main(): Promise<void> {
  const port = Number(readFlag(['-p', '--port']) ?? process.env.PORT ?? 3000);
  const hostname = readFlag(['-H', '--hostname']);
  // This process answers SIGTERM itself (below); Next's instrumentation hook must not as well.
  claimShutdown('server');
  const app = next({ dev: false, dir: process.cwd(), port, hostname });
  const handle = app.getRequestHandler();
  await app.prepare();

  const connections = createConnectionDrain();
  const server = createServer((request, response) => {
    const path = request.url?.split('?', 1)[0];
    // Streams are not tracked here (it would cost every open stream a listener): at shutdown each
    // one closes its own connection (NodeResponseSession), and a refused one says Connection: close.
    if (request.method === 'GET' && path === '/api/movies/stream') {
      if (shuttingDownSince()) connections.track(request, response);
      void openBoardResponse(request, response);
      return;
    }
    connections.track(request, response);
    if (request.method === 'GET' && path === '/api/poster') void fetchPosterToNode(request, response);
    else void handle(request, response);
  });
  server.listen(port, hostname, () => {
    console.log(`✓ Ready on http://${hostname ?? 'localhost'}:${port}`);
  });
  // Streams never end by themselves. On SIGTERM: refuse new streams (503) and report unhealthy; close
  // each connection once its response is done, so nothing comes back on it; tell every stream to
  // reconnect and end it (clients come back, elsewhere or after the restart, and resume by
  // Last-Event-ID); give up this instance's polling leases so another instance polls at once; stop
  // accepting connections; let in-flight requests finish; and exit within SHUTDOWN_TIMEOUT_MS
  // whatever still hangs.
  const stop = (signal: NodeJS.Signals) => {
    const startedAt = Date.now();
    beginShutdown();
    connections.drain();
    const streams = closeAllSessions();
    logEvent('info', 'shutdown', { signal, streams, timeoutMs: env.shutdownTimeoutMs });
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    setTimeout(() => {
      logEvent('warn', 'shutdown-timeout', { timeoutMs: env.shutdownTimeoutMs });
      process.exit(0);
    }, env.shutdownTimeoutMs).unref();
    void Promise.allSettled([closed, stopPolling()]).then(() => {
      logEvent('info', 'shutdown-complete', { ms: Date.now() - startedAt });
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
