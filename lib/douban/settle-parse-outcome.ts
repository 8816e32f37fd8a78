import 'server-only';
import type { Metrics } from '@/lib/metrics/metrics';
import type { NowPlayingPage } from '@/lib/types';
import type { ParseOutcome } from './parse-page';
import { UpstreamError } from './upstream-error';

/** The process's parser metrics (they stay in the main thread; a worker sends its counts). */
export type ParserMetrics = Pick<Metrics, 'parserItemsDropped' | 'parserFieldsTrimmed' | 'parseSeconds'>;

/**
 * Adds a parse's counts to `metrics` (none in scripts), then returns its page or throws its
 * `UpstreamError` again, with the reason the parser gave: a failed poll reads the same whichever
 * thread parsed it.
 */
export function settleParseOutcome({
  outcome,
  metrics,
}: {
  outcome: ParseOutcome;
  metrics: ParserMetrics | null;
}): NowPlayingPage {
  if (metrics) {
    for (const [reason, count] of Object.entries(outcome.counts.dropped)) {
      metrics.parserItemsDropped.inc({ reason }, count);
    }
    for (const [field, count] of Object.entries(outcome.counts.trimmed)) {
      metrics.parserFieldsTrimmed.inc({ field }, count);
    }
  }
  if (outcome.ok) return outcome.page;
  throw new UpstreamError({ reason: outcome.reason, message: outcome.message });
}
