import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { metricSample, readMetricsText } from './metric-sample';
import { type App, type AppMode, startApp } from './start-app';

// This suite's own ports: other suites run beside it on the same machine.
const FAKE_PORT = 4780;

let fake: FakeDouban;

beforeAll(async () => {
  fake = await startFakeDouban({ port: FAKE_PORT });
});

afterAll(async () => {
  await fake?.close();
});

describe.each([
  ['npm start', 'server', 4781],
  ['next start (the route handler)', 'next-start', 4782],
] as const satisfies ReadonlyArray<readonly [string, AppMode, number]>)('%s', (_, mode, port) => {
  let app: App;

  beforeAll(async () => {
    app = await startApp({
      port,
      mode,
      env: {
        DOUBAN_BASE_URL: fake.url,
        POLL_INTERVAL_MS: '60000',
        SSE_HEARTBEAT_MS: '60000',
        ALLOWED_ORIGINS: 'https://friend.example',
        LOG_LEVEL: 'error',
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Opens the stream with these headers; its status, CORS header and (for a refusal) JSON body. */
  async function open(headers: Record<string, string>) {
    const controller = new AbortController();
    const response = await fetch(`${app.url}/api/movies/stream?city=shanghai`, {
      headers,
      signal: controller.signal,
    });
    const answer = {
      status: response.status,
      allowOrigin: response.headers.get('access-control-allow-origin'),
      body: response.status === 200 ? null : await response.json(),
    };
    controller.abort();
    return answer;
  }

  it.each([
    ['a cross-site fetch', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }],
    ['another origin', { Origin: 'https://evil.example' }],
    ['an opaque origin', { Origin: 'null' }],
  ])('refuses %s with 403 cross-site, and counts it', async (_, headers) => {
    const before = metricSample(await readMetricsText(app.url), 'nowshowing_streams_rejected_total', {
      reason: 'cross-site',
    });
    const answer = await open(headers);
    expect(answer).toMatchObject({ status: 403, allowOrigin: null, body: { error: 'cross-site' } });
    expect(answer.body.message).toContain('ALLOWED_ORIGINS');
    const after = metricSample(await readMetricsText(app.url), 'nowshowing_streams_rejected_total', {
      reason: 'cross-site',
    });
    expect(after).toBe((before || 0) + 1);
  });

  it('serves our own pages and clients that send no origin, without CORS headers', async () => {
    const host = new URL(app.url).host;
    const ours: Array<Record<string, string>> = [
      {},
      { 'Sec-Fetch-Site': 'same-origin' },
      { Origin: `http://${host}` },
    ];
    for (const headers of ours) {
      expect(await open(headers)).toEqual({ status: 200, allowOrigin: null, body: null });
    }
  });

  it('serves an origin listed in ALLOWED_ORIGINS, with Access-Control-Allow-Origin', async () => {
    const answer = await open({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://friend.example' });
    expect(answer).toEqual({ status: 200, allowOrigin: 'https://friend.example', body: null });
  });
});
