import 'server-only';

/** Far more failures in a row than any backoff needs to reach its cap. */
const maxFailures = 1_000;

/**
 * Reads a city's count of failed polls in a row as the Redis bus stores it (`String(count)`).
 * Anything else is `null` (the caller counts it as none, logged): a count that is not a whole number
 * would make the backoff's delay NaN.
 */
export function parseFailures(raw: string | null): number | null {
  if (raw === null || !/^\d{1,4}$/.test(raw)) return null;
  const count = Number(raw);
  return count <= maxFailures ? count : null;
}
