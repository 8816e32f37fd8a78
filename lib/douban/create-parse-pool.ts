import 'server-only';
import path from 'node:path';
import { Piscina } from 'piscina';
import { logEvent } from '@/lib/log';
import type { PageParser } from './page-parser';
import type { PageBody, ParseOutcome } from './parse-page';
import { type ParserMetrics, settleParseOutcome } from './settle-parse-outcome';
import { UpstreamError } from './upstream-error';

/**
 * Parses pages in one worker thread, so that a poll never holds the event loop that writes to every
 * open stream (at 10,000 streams a parse on the main thread held it up to 61 ms). `workerFile` is the
 * built worker (dist/parse-worker.js, see `findParseWorker`), whose default export is `parsePage`.
 *
 * - One thread: the machine this runs on has two cores, and the main thread's fan-out needs one; a
 *   poll parses one ~200 KB page in ~20 ms, so a second thread would only compete with it.
 * - Started on the first parse, and ended after `idleTimeoutMs` without one: a process nobody
 *   watches holds no thread. The thread never keeps the process alive (piscina unrefs it when idle).
 * - At most `maxPending` parses waiting or running; the next fails as `parse-busy`, and its poll
 *   backs off like any failed poll, which spreads a burst of cities (all of them after a restart).
 * - A parse that has not answered within `timeoutMs` (queued or running) fails as `parse-timeout`;
 *   if it was running, its thread is terminated (piscina's AbortSignal), so a page that would
 *   stall the parser costs at most `timeoutMs` of one thread, and the next parse starts a fresh one.
 * - A thread that crashes fails its parse as `parse-failed`, never the process.
 *
 * The worker sends back plain data (`ParseOutcome`): the page, or the parser's reason and message,
 * thrown here again as `UpstreamError`; and its counts, added here to `metrics`.
 */
export function createParsePool({
  workerFile,
  metrics = null,
  timeoutMs,
  idleTimeoutMs,
  maxPending = 64,
}: {
  workerFile: string;
  metrics?: ParserMetrics | null;
  timeoutMs: number;
  idleTimeoutMs: number;
  maxPending?: number;
}): PageParser {
  const pool = new Piscina<PageBody, ParseOutcome>({
    // piscina would look for a relative name from its own folder.
    filename: path.resolve(workerFile),
    minThreads: 0,
    maxThreads: 1,
    idleTimeout: idleTimeoutMs,
    // `close` waits for the parse in progress at most as long as that parse may take anyway.
    closeTimeout: timeoutMs,
  });
  // A thread that dies between parses is reported here; unhandled, the event would end the process.
  pool.on('error', (error: Error) => logEvent('error', 'parse-worker-error', { message: error.message }));
  let pending = 0;
  return {
    async parse(body) {
      if (pending >= maxPending) {
        throw new UpstreamError({
          reason: 'parse-busy',
          message: `${pending} pages are already waiting for the parse worker.`,
        });
      }
      pending += 1;
      const endTimer = metrics?.parseSeconds.startTimer({ thread: 'worker' });
      const signal = AbortSignal.timeout(timeoutMs);
      let outcome: ParseOutcome;
      try {
        outcome = await pool.run(body, { signal });
      } catch (cause) {
        if (signal.aborted) {
          throw new UpstreamError({
            reason: 'parse-timeout',
            message: `Douban's page was not parsed within ${timeoutMs} ms, waiting for the worker included.`,
            cause,
          });
        }
        throw new UpstreamError({
          reason: 'parse-failed',
          message: `The parse worker failed: ${(cause as Error)?.message ?? String(cause)}`,
          cause,
        });
      } finally {
        pending -= 1;
        endTimer?.();
      }
      return settleParseOutcome({ outcome, metrics });
    },
    close: () => pool.close(),
  };
}
