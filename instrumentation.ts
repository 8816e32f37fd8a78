/**
 * Runs once when a Next server starts. Under `next start` (not the production server, which has its
 * own shutdown in server/main.ts) Next answers SIGTERM by closing its server and exiting once every
 * connection has ended, which open streams never do by themselves. So this tells each stream to
 * reconnect and ends it (clients come back, elsewhere or after the restart, by Last-Event-ID), gives
 * up this instance's polling leases, and bounds the wait by SHUTDOWN_TIMEOUT_MS.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('@/lib/env');
  const { logEvent } = await import('@/lib/log');
  const { beginShutdown } = await import('@/lib/shutdown');
  const { closeAllSessions } = await import('@/lib/sse/session-ticker');
  const stop = (signal: NodeJS.Signals) => {
    beginShutdown();
    const streams = closeAllSessions();
    logEvent('info', 'shutdown', { signal, streams, timeoutMs: env.shutdownTimeoutMs });
    // Imported here, not above: at start it would open the boards' Redis connections before any request.
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
