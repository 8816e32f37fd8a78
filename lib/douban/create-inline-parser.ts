import 'server-only';
import type { PageParser } from './page-parser';
import { parsePage } from './parse-page';
import { type ParserMetrics, settleParseOutcome } from './settle-parse-outcome';
import { UpstreamError } from './upstream-error';

/**
 * Parses on the calling thread, holding the event loop for as long as the page takes (a real page:
 * ~20 ms; a hostile 5 MB one: up to ~0.5 s). For scripts and tests, and for `next dev` before any
 * `npm run build` has built the worker; a server parses in the pool (`createParsePool`).
 */
export function createInlineParser({ metrics = null }: { metrics?: ParserMetrics | null } = {}): PageParser {
  return {
    async parse(body) {
      let outcome: ReturnType<typeof parsePage>;
      const endTimer = metrics?.parseSeconds.startTimer({ thread: 'main' });
      try {
        outcome = parsePage(body);
      } catch (cause) {
        // A bug of ours, not Douban's page; the poll fails with a reason the pool would give too.
        throw new UpstreamError({
          reason: 'parse-failed',
          message: `The parser failed: ${String(cause)}`,
          cause,
        });
      } finally {
        endTimer?.();
      }
      return settleParseOutcome({ outcome, metrics });
    },
    async close() {},
  };
}
