import 'server-only';

// Instances' clocks differ a little; a poll recorded further ahead than this was not one of ours.
const maxClockSkewMs = 60_000;

/**
 * Reads the cluster's last poll time of a city as the Redis bus stores it (`String(Date.now())`).
 * Anything else (not a whole number, negative, or far in the future) counts as "never polled":
 * a due time built from it would be NaN (a timer that fires at once, forever) or never come.
 */
export function parsePolledAt(raw: string | null, now = Date.now()): number | null {
  if (raw === null || !/^\d{1,16}$/.test(raw)) return null;
  const at = Number(raw);
  return Number.isSafeInteger(at) && at <= now + maxClockSkewMs ? at : null;
}
