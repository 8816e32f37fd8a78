import 'server-only';
import { logEvent } from '@/lib/log';
import { createInlineParser } from './create-inline-parser';
import { createParsePool } from './create-parse-pool';
import { findParseWorker, PARSE_WORKER_PATH } from './find-parse-worker';
import type { PageParser } from './page-parser';
import type { ParserMetrics } from './settle-parse-outcome';

/**
 * How long a parse may take, waiting included, before its worker is stopped (`parse-timeout`). A
 * real page parses in ~20 ms and the worst hostile page of the 5 MB cap in ~0.5 s (lib/douban/
 * parse-now-playing.hostile.test.ts): ten seconds is twenty times that, for a loaded machine, and
 * still well inside a poll interval (60 s), so a stuck parse never meets the next poll of its city.
 */
export const PARSE_TIMEOUT_MS = 10_000;

/**
 * The server's parser: the worker pool over the built dist/parse-worker.js, or, where it has not
 * been built (`next dev` before any `npm run build`), the main thread, said once in the log.
 * `idleTimeoutMs`: how long the worker thread outlives its last parse.
 */
export function createPageParser({
  metrics,
  idleTimeoutMs,
  workerFile = findParseWorker(),
}: {
  metrics: ParserMetrics;
  idleTimeoutMs: number;
  workerFile?: string | null;
}): PageParser {
  if (!workerFile) {
    logEvent('warn', 'parse-worker-missing', {
      expected: PARSE_WORKER_PATH,
      detail: 'Douban pages are parsed on the main thread; `npm run build` builds the worker.',
    });
    return createInlineParser({ metrics });
  }
  return createParsePool({ workerFile, metrics, timeoutMs: PARSE_TIMEOUT_MS, idleTimeoutMs });
}
