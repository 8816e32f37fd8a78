/**
 * Runs once when a Next server starts: under plain `next start`, open streams are told to reconnect
 * on SIGTERM (see lib/handle-shutdown-signals.ts). Imported only in the Node runtime, where it can run.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { handleShutdownSignals } = await import('@/lib/handle-shutdown-signals');
  // The code Next itself exits with after a signal.
  handleShutdownSignals({ exitCode: (signal) => (signal === 'SIGINT' ? 130 : 143) });
}
