import 'server-only';
import Redis from 'ioredis';
import { logEvent } from '@/lib/log';

/** Reconnects with capped exponential backoff (100 ms doubling to 5 s), each wait jittered by half. */
export const redisRetryStrategy = (times: number) =>
  Math.round(Math.min(100 * 2 ** Math.min(times, 6), 5_000) * (0.5 + Math.random() / 2));

/**
 * A connection for commands, as the bus's command connection is: calls fail at once while Redis is
 * away (the caller decides what to do without it), and a Redis that stops answering holds no call
 * longer than `commandTimeoutMs`. `opened` lets the first calls, which may come while the connection
 * is still being opened, wait for it, at most `connectTimeoutMs`.
 */
export function openCommandConnection(
  url: string,
  { connectTimeoutMs, commandTimeoutMs }: { connectTimeoutMs: number; commandTimeoutMs: number },
): { redis: Redis; opened: Promise<void> } {
  const redis = new Redis(url, {
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    retryStrategy: redisRetryStrategy,
  });
  redis.on('error', (error: Error) => logEvent('debug', 'redis-error', { error: error.message }));
  const opened = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, connectTimeoutMs);
    timer.unref();
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { redis, opened };
}
