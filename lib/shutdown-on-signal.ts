import 'server-only';
import { env } from '@/lib/env';
import { logEvent } from '@/lib/log';
import { beginShutdown, claimShutdown } from '@/lib/shutdown';
import { closeAllSessions } from '@/lib/sse/session-ticker';

/**
 * SIGTERM under plain `next start` (instrumentation.ts). Next answers it by closing its server and
 * exiting once every connection has ended, which open streams never do by themselves. So this tells
 * each stream to reconnect and ends it (clients come back, elsewhere or after the restart, by
 * Last-Event-ID), gives up this instance's polling leases, and bounds the wait by
 * SHUTDOWN_TIMEOUT_MS. Does nothing in the production server, which has its own (server/main.ts).
 */
export function shutdownOnSignal(): void {
  if (!claimShutdown('next')) return;
  const stop = (signal: NodeJS.Signals) => {
    beginShutdown();
    const streams = closeAllSessions();
    logEvent('info', 'shutdown', { signal, streams, timeoutMs: env.shutdownTimeoutMs });
    // Imported now, not above: at start it would open the boards' Redis connections before any request.
    void import('@/lib/board/get-board').then(({ stopPolling }) => stopPolling());
    setTimeout(() => {
      logEvent('warn', 'shutdown-timeout', { timeoutMs: env.shutdownTimeoutMs });
      // The code Next itself exits with after a signal.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }, env.shutdownTimeoutMs).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
