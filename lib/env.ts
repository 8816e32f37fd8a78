import 'server-only';

/**
 * Every setting the server reads, from `process.env`, read and validated once. `.env.example`
 * explains each one. A bad value fails at start with a message that lists every problem at once.
 */
export interface Env {
  /** Where Douban lives; tests and `npm run demo` point it at a fake Douban on loopback. */
  doubanBaseUrl: string;
  /** Optional `Cookie` header for Douban (a logged-in `bid`/`dbcl2` makes blocks rarer). */
  doubanCookie: string | null;
  doubanTimeoutMs: number;
  /**
   * Fetch posters from this origin instead of https://imgN.doubanio.com (tests and the demo point it
   * at the fake Douban). URLs are still validated as Douban's before anything is fetched.
   */
  doubanImageOrigin: string | null;
  /** How often each watched city is polled; each wait gets ±`pollJitter` of it at random. */
  pollIntervalMs: number;
  pollJitter: number;
  /** Upper bound of the exponential backoff after failed polls. */
  pollBackoffMaxMs: number;
  /** How long a city keeps polling after its last viewer left (a reload should not restart it). */
  pollGraceMs: number;
  sseHeartbeatMs: number;
  /** The `retry:` field: how long EventSource waits before reconnecting. */
  sseRetryMs: number;
  /** Close each stream after this long (0: never), before a platform cuts it; clients resume. */
  sseMaxDurationMs: number;
  /** Unread bytes a client may fall behind by before its stream is closed (it then resumes). */
  sseMaxQueueBytes: number;
  /** Events written while the client's socket never drained, before it is closed as too slow. */
  sseMaxQueueEvents: number;
  /** Open streams one client IP may hold (0: no limit); past it, 429 with Retry-After. */
  streamsPerIp: number;
  /** Open streams this process serves at most (0: no limit); past it, 503 with Retry-After. */
  streamsMax: number;
  /**
   * How many proxies in front of the app append to X-Forwarded-For: the client IP is the address
   * that many hops from its right end. 0 (default): the socket's address; the header is ignored.
   */
  trustProxy: number;
  /**
   * A page with fewer than this share of the last good board's movies is held back as suspicious
   * (a half-rendered or tampered page), not broadcast as a mass removal; 0 turns the check off.
   */
  suspiciousDropRatio: number;
  /** How many polls in a row must agree on the smaller board before it is believed. */
  suspiciousConfirmPolls: number;
  /** On SIGTERM, the most the server waits for in-flight requests before it exits. */
  shutdownTimeoutMs: number;
  /** Bytes of posters kept in memory (least recently used go first); 0: no cache. */
  posterCacheBytes: number;
  /** How many updates per city are kept for Last-Event-ID replay. */
  historyLimit: number;
  defaultCity: string;
  /** Share pollers, versions, history and events with other instances through this Redis; null: in memory. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so several apps can share one Redis. */
  redisPrefix: string;
  /** When set, GET /api/metrics wants `Authorization: Bearer <token>` (else 401). */
  metricsToken: string | null;
  /** Least severe log line written: debug, info, warn or error. */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

type Reader = (name: string, fallback: number, check: (n: number) => boolean) => number;

/** Reads and validates settings from `source`; exported for tests, everything else imports `env`. */
export function readEnv(source: Record<string, string | undefined>): Env {
  const problems: string[] = [];
  const number: Reader = (name, fallback, check) => {
    const raw = source[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || !check(value)) {
      problems.push(`${name}=${JSON.stringify(raw)} is not valid`);
      return fallback;
    }
    return value;
  };
  const atLeast = (min: number) => (n: number) => Number.isInteger(n) && n >= min;

  const doubanBaseUrl = (source.DOUBAN_BASE_URL?.trim() || 'https://movie.douban.com').replace(/\/+$/, '');
  try {
    const { protocol } = new URL(doubanBaseUrl);
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(protocol);
  } catch {
    problems.push(`DOUBAN_BASE_URL=${JSON.stringify(doubanBaseUrl)} is not an http(s) URL`);
  }
  const doubanImageOrigin = source.DOUBAN_IMAGE_ORIGIN?.trim().replace(/\/+$/, '') || null;
  if (doubanImageOrigin && !/^https?:\/\/[^/?#]+$/.test(doubanImageOrigin)) {
    problems.push(
      `DOUBAN_IMAGE_ORIGIN=${JSON.stringify(doubanImageOrigin)} is not an origin like http://127.0.0.1:4010`,
    );
  }
  const defaultCity = source.DEFAULT_CITY?.trim() || 'shanghai';
  if (!/^[a-z0-9]{1,40}$/.test(defaultCity))
    problems.push(`DEFAULT_CITY=${JSON.stringify(defaultCity)} is not a city slug`);

  const redisUrl = source.REDIS_URL?.trim() || null;
  if (redisUrl && !/^rediss?:\/\/\S+$/.test(redisUrl)) {
    problems.push('REDIS_URL is not a redis:// or rediss:// URL');
  }
  const redisPrefix = source.REDIS_PREFIX?.trim() || 'nowshowing:';
  if (!/^[\w:.-]{1,50}$/.test(redisPrefix))
    problems.push(`REDIS_PREFIX=${JSON.stringify(redisPrefix)} is not valid`);
  const metricsToken = source.METRICS_TOKEN?.trim() || null;
  if (metricsToken && !/^[\x21-\x7e]{16,200}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be 16 to 200 printable characters without spaces');
  }
  const logLevel = (source.LOG_LEVEL?.trim() || 'info') as Env['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`LOG_LEVEL=${JSON.stringify(logLevel)} is not one of debug, info, warn, error`);
  }
  const env: Env = {
    doubanBaseUrl,
    doubanCookie: source.DOUBAN_COOKIE?.trim() || null,
    doubanTimeoutMs: number('DOUBAN_TIMEOUT_MS', 10_000, atLeast(100)),
    doubanImageOrigin,
    pollIntervalMs: number('POLL_INTERVAL_MS', 60_000, atLeast(100)),
    pollJitter: number('POLL_JITTER', 0.1, (n) => n >= 0 && n < 1),
    pollBackoffMaxMs: number('POLL_BACKOFF_MAX_MS', 15 * 60_000, atLeast(100)),
    pollGraceMs: number('POLL_GRACE_MS', 60_000, atLeast(0)),
    sseHeartbeatMs: number('SSE_HEARTBEAT_MS', 15_000, atLeast(100)),
    sseRetryMs: number('SSE_RETRY_MS', 3_000, atLeast(0)),
    sseMaxDurationMs: number('SSE_MAX_DURATION_MS', 0, atLeast(0)),
    sseMaxQueueBytes: number('SSE_MAX_QUEUE_BYTES', 1024 * 1024, atLeast(1024)),
    sseMaxQueueEvents: number('SSE_MAX_QUEUE_EVENTS', 200, atLeast(1)),
    streamsPerIp: number('STREAMS_PER_IP', 20, atLeast(0)),
    streamsMax: number('STREAMS_MAX', 20_000, atLeast(0)),
    trustProxy: number('TRUST_PROXY', 0, (n) => Number.isInteger(n) && n >= 0 && n <= 10),
    suspiciousDropRatio: number('SUSPICIOUS_DROP_RATIO', 0.5, (n) => n >= 0 && n < 1),
    suspiciousConfirmPolls: number('SUSPICIOUS_CONFIRM_POLLS', 3, atLeast(1)),
    shutdownTimeoutMs: number('SHUTDOWN_TIMEOUT_MS', 10_000, atLeast(0)),
    posterCacheBytes: number('POSTER_CACHE_BYTES', 32 * 1024 * 1024, atLeast(0)),
    historyLimit: number('HISTORY_LIMIT', 200, atLeast(1)),
    defaultCity,
    redisUrl,
    redisPrefix,
    metricsToken,
    logLevel,
  };
  if (problems.length > 0) {
    throw new Error(`Invalid environment (see .env.example):\n  - ${problems.join('\n  - ')}`);
  }
  return env;
}

export const env: Env = readEnv(process.env);
