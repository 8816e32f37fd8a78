import { describe, expect, it } from 'vitest';
import { readEnv } from './env';

describe('readEnv', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(readEnv({})).toMatchObject({
      doubanBaseUrl: 'https://movie.douban.com',
      doubanCookie: null,
      doubanImageOrigin: null,
      pollIntervalMs: 60_000,
      sseHeartbeatMs: 15_000,
      sseMaxDurationMs: 0,
      defaultCity: 'shanghai',
      logLevel: 'info',
      sseMaxQueueBytes: 1024 * 1024,
      sseMaxQueueEvents: 200,
      streamsPerIp: 20,
      streamsMax: 20_000,
      trustProxy: 0,
      suspiciousDropRatio: 0.5,
      suspiciousConfirmPolls: 3,
      shutdownTimeoutMs: 10_000,
      posterCacheBytes: 32 * 1024 * 1024,
    });
  });

  it('refuses limits that make no sense', () => {
    for (const [name, value] of [
      ['STREAMS_PER_IP', '-1'],
      ['STREAMS_MAX', '1.5'],
      ['TRUST_PROXY', 'true'],
      ['SUSPICIOUS_DROP_RATIO', '1'],
      ['SSE_MAX_QUEUE_EVENTS', '0'],
      ['METRICS_TOKEN', 'short'],
    ]) {
      expect(() => readEnv({ [name as string]: value })).toThrow(name);
    }
  });

  it('reads numbers and trims a trailing slash from the base URL', () => {
    const env = readEnv({
      DOUBAN_BASE_URL: 'http://127.0.0.1:4010/',
      POLL_INTERVAL_MS: '500',
      POLL_JITTER: '0',
    });
    expect(env).toMatchObject({ doubanBaseUrl: 'http://127.0.0.1:4010', pollIntervalMs: 500, pollJitter: 0 });
  });

  it('lists every bad variable in one error', () => {
    let message = '';
    try {
      readEnv({
        POLL_INTERVAL_MS: 'soon',
        SSE_HEARTBEAT_MS: '-1',
        DOUBAN_BASE_URL: 'ftp://x',
        LOG_LEVEL: 'loud',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['POLL_INTERVAL_MS', 'SSE_HEARTBEAT_MS', 'DOUBAN_BASE_URL', 'LOG_LEVEL']) {
      expect(message).toContain(name);
    }
    expect(() => readEnv({ DOUBAN_BASE_URL: 'ftp://x' })).toThrow(/DOUBAN_BASE_URL/);
  });

  it('names a secret that is bad without printing it, and each bad variable once', () => {
    let message = '';
    try {
      readEnv({ REDIS_URL: 'http://user:hunter2@cache', METRICS_TOKEN: 'hunter2', STREAMS_MAX: '-1.5' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('REDIS_URL');
    expect(message).toContain('METRICS_TOKEN');
    expect(message).not.toContain('hunter2');
    // -1.5 is neither whole nor ≥ 0: still one line.
    expect(message.match(/STREAMS_MAX/g)).toHaveLength(1);
  });
});
