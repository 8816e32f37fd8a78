import 'server-only';
import type { NowPlayingPage } from '@/lib/types';
import { decodePage } from './decode-page';
import { type DropReason, type ParserCounters, parseNowPlaying } from './parse-now-playing';
import type { TrimmedField } from './trim-movie';
import { UpstreamError } from './upstream-error';

/** A fetched page as it left the socket: its bytes and the `Content-Type` that names their charset. */
export interface PageBody {
  bytes: Uint8Array;
  contentType: string | null;
}

/** What the parser dropped, by reason, and cut, by field, on one page (for the main thread's metrics). */
export interface ParserCounts {
  dropped: Partial<Record<DropReason, number>>;
  trimmed: Partial<Record<TrimmedField, number>>;
}

/**
 * One parse, as plain data that crosses a thread boundary (structured clone keeps neither an
 * error's class nor its `reason`): the page, or the `UpstreamError`'s reason and message.
 */
export type ParseOutcome = { counts: ParserCounts } & (
  | { ok: true; page: NowPlayingPage }
  | { ok: false; reason: string; message: string }
);

/**
 * Decodes a fetched page (`decodePage`) and parses it (`parseNowPlaying`), tallying what the parser
 * counts instead of touching the metrics, which live in the main thread. The whole of a poll's CPU
 * work on Douban's page: what the parse worker runs. An `UpstreamError` becomes `ok: false`;
 * anything else (a bug) is thrown.
 */
export function parsePage({ bytes, contentType }: PageBody): ParseOutcome {
  const counts: ParserCounts = { dropped: {}, trimmed: {} };
  const counters: ParserCounters = {
    parserItemsDropped: {
      inc({ reason }) {
        counts.dropped[reason] = (counts.dropped[reason] ?? 0) + 1;
      },
    },
    parserFieldsTrimmed: {
      inc({ field }) {
        counts.trimmed[field] = (counts.trimmed[field] ?? 0) + 1;
      },
    },
  };
  try {
    const page = parseNowPlaying(decodePage({ bytes, contentType }), { counters });
    return { ok: true, page, counts };
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    return { ok: false, reason: error.reason, message: error.message, counts };
  }
}
