import 'server-only';

/**
 * The version after `previous`: at least one more, and never less than the clock in milliseconds.
 * Because a fresh board starts at the clock, every version handed out before a restart is lower than
 * any handed out after it (with fewer than one change per millisecond), so an old Last-Event-ID can
 * never be mistaken for a newer board: it is simply unknown, and earns a snapshot.
 */
export function nextVersion(previous: number, now: number = Date.now()): number {
  return Math.max(previous + 1, now);
}
