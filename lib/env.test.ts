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
    });
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
});
