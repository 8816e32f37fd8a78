/**
 * Runs once when a Next server starts: under plain `next start`, open streams are told to reconnect
 * on SIGTERM (see lib/shutdown-on-signal.ts). Imported only in the Node runtime, where it can run.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { shutdownOnSignal } = await import('@/lib/shutdown-on-signal');
  shutdownOnSignal();
}
