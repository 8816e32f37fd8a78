import 'server-only';
import * as z from 'zod/mini';

// The variables `readEnv` (lib/env.ts) reads, each with its rule and default; `.env.example` explains them.

/** A number that is an integer of at least `min`. */
const atLeast = (min: number) => z.int().check(z.gte(min));
/** A number variable: `Number()` of its text (so "1e3" and "0x10" read as before), then `schema`. */
const number = (schema: z.ZodMiniNumber<number>, fallback: number) =>
  z._default(z.pipe(z.string(), z.pipe(z.transform(Number), schema)), fallback);
/** A text variable that must match `pattern`; `why` completes "NAME=value …" in the error. */
const matching = (pattern: RegExp, why: string) => z.string().check(z.regex(pattern, why));
/** Trailing slashes go: "http://127.0.0.1:4010/" is the base "http://127.0.0.1:4010". */
const withoutTrailingSlash = z.transform((value: string) => value.replace(/\/+$/, ''));

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Every variable, by its name: a missing or blank one takes its default (or null); each error
 * message completes "NAME=value" (see `readEnv`).
 */
export const envSchema = z.object({
  DOUBAN_BASE_URL: z._default(
    z.pipe(
      z.pipe(z.string(), withoutTrailingSlash),
      z.string().check(z.refine(isHttpUrl, 'is not an http(s) URL')),
    ),
    'https://movie.douban.com',
  ),
  DOUBAN_COOKIE: z.optional(z.string()),
  DOUBAN_TIMEOUT_MS: number(atLeast(100), 10_000),
  DOUBAN_IMAGE_ORIGIN: z.optional(
    z.pipe(
      z.pipe(z.string(), withoutTrailingSlash),
      z
        .string()
        .check(
          z.refine(
            (origin) => origin === '' || /^https?:\/\/[^/?#]+$/.test(origin),
            'is not an origin like http://127.0.0.1:4010',
          ),
        ),
    ),
  ),
  POLL_INTERVAL_MS: number(atLeast(100), 60_000),
  POLL_JITTER: number(z.number().check(z.gte(0), z.lt(1)), 0.1),
  POLL_BACKOFF_MAX_MS: number(atLeast(100), 15 * 60_000),
  POLL_GRACE_MS: number(atLeast(0), 60_000),
  DOUBAN_MAX_RPM: number(atLeast(1), 120),
  SSE_HEARTBEAT_MS: number(atLeast(100), 15_000),
  SSE_RETRY_MS: number(atLeast(0), 3_000),
  SSE_MAX_DURATION_MS: number(atLeast(0), 0),
  SSE_MAX_QUEUE_BYTES: number(atLeast(1024), 1024 * 1024),
  SSE_MAX_QUEUE_EVENTS: number(atLeast(1), 200),
  STREAMS_PER_IP: number(atLeast(0), 20),
  STREAMS_MAX: number(atLeast(0), 20_000),
  TRUST_PROXY: number(z.int().check(z.gte(0), z.lte(10)), 0),
  SUSPICIOUS_DROP_RATIO: number(z.number().check(z.gte(0), z.lt(1)), 0.5),
  SUSPICIOUS_CONFIRM_POLLS: number(atLeast(1), 3),
  SHUTDOWN_TIMEOUT_MS: number(atLeast(0), 10_000),
  POSTER_CACHE_BYTES: number(atLeast(0), 32 * 1024 * 1024),
  POSTER_FETCHES_PER_SECOND: number(atLeast(0), 20),
  POSTER_FETCHES_PER_CLIENT_PER_SECOND: number(atLeast(0), 10),
  HISTORY_LIMIT: number(atLeast(1), 200),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), './.data'),
  HISTORY: z._default(z.enum(['on', 'off']), 'on'),
  DEFAULT_CITY: z._default(matching(/^[a-z0-9]{1,40}$/, 'is not a city slug'), 'shanghai'),
  REDIS_URL: z.optional(matching(/^rediss?:\/\/\S+$/, 'is not a redis:// or rediss:// URL')),
  REDIS_PREFIX: z._default(matching(/^[\w:.-]{1,50}$/, 'is not valid'), 'nowshowing:'),
  METRICS_TOKEN: z.optional(
    matching(/^[\x21-\x7e]{16,200}$/, 'must be 16 to 200 printable characters without spaces'),
  ),
  ALLOWED_ORIGINS: z._default(
    matching(
      /^(https?:\/\/[^/?#,\s]+)(,https?:\/\/[^/?#,\s]+)*$/,
      'is not a comma-separated list of origins',
    ),
    '',
  ),
  LOG_LEVEL: z._default(
    z.enum(['debug', 'info', 'warn', 'error'], 'is not one of debug, info, warn, error'),
    'info',
  ),
});

export type EnvName = keyof typeof envSchema.shape;

/** Secrets: their errors name the variable, never its value. */
export const SECRETS = new Set<EnvName>(['DOUBAN_COOKIE', 'REDIS_URL', 'METRICS_TOKEN']);
