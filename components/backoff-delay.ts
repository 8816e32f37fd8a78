const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 30_000;

/**
 * How long to wait before reopening a stream the browser gave up on, after `attempt` failures:
 * exponential backoff (1 s doubling to 30 s) with "equal jitter", so many tabs cut off at once do not
 * return in step.
 */
export function backoffDelay(attempt: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
