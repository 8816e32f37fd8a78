import 'server-only';
import { env } from '@/lib/env';
import { logEvent } from '@/lib/log';
import { peekServices } from '@/lib/services';
import { beginShutdown } from '@/lib/shutdown';

const installed = globalThis as typeof globalThis & { __nowShowingSignals?: true };

/**
 * What SIGTERM (and SIGINT) do, for both servers: refuse new streams (503) and report unhealthy;
 * `closeServer` (the production server's) closes each connection once its response is done and
 * stops accepting; every stream is told to reconnect and ended (clients come back, elsewhere or
 * after the restart, and resume by Last-Event-ID, each after a delay of its own); this instance gives
 * up its polling leases so another instance polls at once, then ends its parse worker; and the
 * process exits with `exitCode(signal)` once the server has closed, or after SHUTDOWN_TIMEOUT_MS
 * whatever still hangs.
 * Without `closeServer` (plain `next start`), Next closes its server and exits by itself once the
 * streams have ended; only the bound is ours.
 *
 * Installed once per process: the first caller decides. The production server calls it before Next
 * starts, so Next's instrumentation hook, which runs there too, finds it installed.
 */
export function handleShutdownSignals({
  exitCode,
  closeServer,
}: {
  exitCode: (signal: NodeJS.Signals) => number;
  closeServer?: () => Promise<void>;
}): void {
  if (installed.__nowShowingSignals) return;
  installed.__nowShowingSignals = true;
  const stop = (signal: NodeJS.Signals) => {
    const startedAt = Date.now();
    beginShutdown();
    const closed = closeServer?.();
    const services = peekServices();
    const streams = services?.ticker.closeAll() ?? 0;
    logEvent('info', 'shutdown', { signal, streams, timeoutMs: env.shutdownTimeoutMs });
    setTimeout(() => {
      logEvent('warn', 'shutdown-timeout', { timeoutMs: env.shutdownTimeoutMs });
      process.exit(exitCode(signal));
    }, env.shutdownTimeoutMs).unref();
    const stopped = services?.stop();
    if (!closed) return;
    void Promise.allSettled([closed, stopped]).then(() => {
      logEvent('info', 'shutdown-complete', { ms: Date.now() - startedAt });
      process.exit(exitCode(signal));
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
