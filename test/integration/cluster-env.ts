/**
 * The environment of an instance in the Redis suites: a fast, jitter-free poll of a fake Douban,
 * short backoff and grace, and a private Redis under its own key prefix. Logs at warn, so the lines
 * the suites look for (bad messages, refused publishes) are there and little else.
 */
export function clusterEnv({
  doubanUrl,
  redisUrl,
  prefix,
  intervalMs,
}: {
  doubanUrl: string;
  redisUrl: string;
  prefix: string;
  intervalMs: number;
}): Record<string, string> {
  return {
    DOUBAN_BASE_URL: doubanUrl,
    DOUBAN_IMAGE_ORIGIN: doubanUrl,
    DOUBAN_TIMEOUT_MS: '1000',
    POLL_INTERVAL_MS: String(intervalMs),
    POLL_JITTER: '0',
    POLL_BACKOFF_MAX_MS: '1000',
    POLL_GRACE_MS: '1000',
    SSE_HEARTBEAT_MS: '1000',
    SSE_RETRY_MS: '200',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    // The fake's cities can hold one film at different scores (Douban never does): with history on,
    // each city's poll would record the other's, and send trend-only updates these suites do not expect.
    HISTORY: 'off',
  };
}
