import 'server-only';
import { type EnvName, envSchema, SECRETS } from './env-schema';

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
  /** Requests to Douban's pages per minute for the whole deployment (shared through Redis). */
  doubanMaxRpm: number;
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
  /** New posters fetched from Douban a second, by the process and by one client IP (0: no limit). */
  posterFetchesPerSecond: number;
  posterFetchesPerClientPerSecond: number;
  /** How many updates per city are kept for Last-Event-ID replay. */
  historyLimit: number;
  /** Where the films' history is kept on disk (without Redis): `<dataDir>/history.sqlite`. */
  dataDir: string;
  /** `off`: no history is kept (no trends, no history endpoint), e.g. on a read-only disk. */
  history: boolean;
  defaultCity: string;
  /** Share pollers, versions, history and events with other instances through this Redis; null: in memory. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so several apps can share one Redis. */
  redisPrefix: string;
  /** When set, GET /api/metrics wants `Authorization: Bearer <token>` (else 401). */
  metricsToken: string | null;
  /** Other sites' origins whose pages may open the stream (CORS); every other site gets 403. */
  allowedOrigins: string[];
  /** Least severe log line written: debug, info, warn or error. */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** Reads and validates settings from `source`; exported for tests, everything else imports `env`. */
export function readEnv(source: Record<string, string | undefined>): Env {
  const names = Object.keys(envSchema.shape) as EnvName[];
  // Blank counts as unset, as an empty line in .env.example does.
  const input = Object.fromEntries(names.map((name) => [name, source[name]?.trim() || undefined]));
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    // One line per variable, even when its value breaks several rules.
    const problems = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]) as EnvName;
      // A type or number-range issue has zod's own message; ours complete "NAME=value".
      const why = ['custom', 'invalid_format', 'invalid_value'].includes(issue.code)
        ? issue.message
        : 'is not valid';
      const shown = SECRETS.has(name) ? name : `${name}=${JSON.stringify(input[name])}`;
      if (!problems.has(name)) problems.set(name, `${shown} ${why}`);
    }
    throw new Error(`Invalid environment (see .env.example):\n  - ${[...problems.values()].join('\n  - ')}`);
  }
  const v = parsed.data;
  return {
    doubanBaseUrl: v.DOUBAN_BASE_URL,
    doubanCookie: v.DOUBAN_COOKIE ?? null,
    doubanTimeoutMs: v.DOUBAN_TIMEOUT_MS,
    doubanImageOrigin: v.DOUBAN_IMAGE_ORIGIN || null,
    pollIntervalMs: v.POLL_INTERVAL_MS,
    pollJitter: v.POLL_JITTER,
    pollBackoffMaxMs: v.POLL_BACKOFF_MAX_MS,
    pollGraceMs: v.POLL_GRACE_MS,
    doubanMaxRpm: v.DOUBAN_MAX_RPM,
    sseHeartbeatMs: v.SSE_HEARTBEAT_MS,
    sseRetryMs: v.SSE_RETRY_MS,
    sseMaxDurationMs: v.SSE_MAX_DURATION_MS,
    sseMaxQueueBytes: v.SSE_MAX_QUEUE_BYTES,
    sseMaxQueueEvents: v.SSE_MAX_QUEUE_EVENTS,
    streamsPerIp: v.STREAMS_PER_IP,
    streamsMax: v.STREAMS_MAX,
    trustProxy: v.TRUST_PROXY,
    suspiciousDropRatio: v.SUSPICIOUS_DROP_RATIO,
    suspiciousConfirmPolls: v.SUSPICIOUS_CONFIRM_POLLS,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    posterCacheBytes: v.POSTER_CACHE_BYTES,
    posterFetchesPerSecond: v.POSTER_FETCHES_PER_SECOND,
    posterFetchesPerClientPerSecond: v.POSTER_FETCHES_PER_CLIENT_PER_SECOND,
    historyLimit: v.HISTORY_LIMIT,
    dataDir: v.DATA_DIR,
    history: v.HISTORY === 'on',
    defaultCity: v.DEFAULT_CITY,
    redisUrl: v.REDIS_URL ?? null,
    redisPrefix: v.REDIS_PREFIX,
    metricsToken: v.METRICS_TOKEN ?? null,
    allowedOrigins: v.ALLOWED_ORIGINS
      ? v.ALLOWED_ORIGINS.split(',').map((origin) => new URL(origin).origin)
      : [],
    logLevel: v.LOG_LEVEL,
  };
}

export const env: Env = readEnv(process.env);
