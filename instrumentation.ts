/**
 * Runs once when a Next server starts. Under `next start` (not the production server, which has its
 * own shutdown in server/main.ts) Next exits on SIGTERM at once; this tells each open stream to
 * reconnect first, so clients come back without waiting for a dead socket to time out.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { beginShutdown } = await import('@/lib/shutdown');
  const { closeAllSessions } = await import('@/lib/sse/session-ticker');
  process.once('SIGTERM', () => {
    beginShutdown();
    closeAllSessions();
  });
}
