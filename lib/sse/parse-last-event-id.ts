import 'server-only';
import { HttpError } from '@/lib/errors';

// A version is a safe integer written the way the server writes it: no sign, no leading zeros, at
// most 16 digits (Number.MAX_SAFE_INTEGER has 16). Anything else was not sent by this server.
const VERSION = /^(?:0|[1-9]\d{0,15})$/;
const MAX_DIGITS = 16;

/**
 * Reads the version a reconnecting client last saw: the `Last-Event-ID` header (sent by EventSource
 * itself on reconnect) wins over the `lastEventId` query parameter (for a first connect that resumes
 * from a server-rendered page). Absent or empty: `null`, which earns a snapshot.
 *
 * EventSource only ever sends back an id this server gave it, so anything that is not such a
 * version (letters, a sign, leading zeros, past `Number.MAX_SAFE_INTEGER`, a repeated parameter) is
 * refused rather than quietly ignored: both values are checked, even when the header wins.
 * See https://html.spec.whatwg.org/multipage/server-sent-events.html#the-last-event-id-header
 *
 * @throws {HttpError} 400 `bad-last-event-id`, naming which of the two is wrong.
 */
export function parseLastEventId({
  header,
  query,
}: {
  header: string | null;
  /** Every `lastEventId` query value (`searchParams.getAll`), or one value, or null. */
  query: string | readonly string[] | null;
}): number | null {
  const queries = query === null ? [] : typeof query === 'string' ? [query] : query;
  if (queries.length > 1) {
    throw lastEventIdError('The lastEventId parameter is given more than once.');
  }
  // HTTP drops whitespace around a header value anyway; a query value is taken as sent.
  const fromHeader = readVersion(header?.trim() ?? '', 'The Last-Event-ID header');
  const fromQuery = readVersion(queries[0] ?? '', 'The lastEventId parameter');
  return fromHeader ?? fromQuery;
}

function readVersion(raw: string, what: string): number | null {
  if (raw === '') return null;
  if (raw.length > MAX_DIGITS) {
    throw lastEventIdError(
      `${what} is ${raw.length} characters long; a version has at most ${MAX_DIGITS} digits.`,
    );
  }
  const version = Number(raw);
  if (!VERSION.test(raw) || !Number.isSafeInteger(version)) {
    throw lastEventIdError(
      `${what} is not a version this server sent: one is 0 to ${Number.MAX_SAFE_INTEGER}, in digits without leading zeros.`,
    );
  }
  return version;
}

function lastEventIdError(message: string): HttpError {
  return new HttpError({
    status: 400,
    code: 'bad-last-event-id',
    message: `${message} Leave it out to get the current board.`,
  });
}
