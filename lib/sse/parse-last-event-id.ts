import 'server-only';

/**
 * Reads the version a reconnecting client last saw: the `Last-Event-ID` header (sent by EventSource
 * itself on reconnect) wins over the `lastEventId` query parameter (for a first connect that resumes
 * from a server-rendered page). Anything but 1–16 digits is `null`, which earns a fresh snapshot,
 * never an error: a stale or mangled id must not stop a viewer from getting the board.
 */
export function parseLastEventId({
  header,
  query,
}: {
  header: string | null;
  query: string | null;
}): number | null {
  const raw = header?.trim() || query?.trim() || '';
  if (!/^\d{1,16}$/.test(raw)) return null;
  const version = Number(raw);
  return Number.isSafeInteger(version) ? version : null;
}
