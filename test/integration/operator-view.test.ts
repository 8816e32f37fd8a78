import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { metricSample } from './metric-sample';
import { openClient } from './sse-client';
import { type App, startApp } from './start-app';

const FIRST_ID = '36154853'; // 好东西, first movie of the recorded Shanghai page

let fake: FakeDouban;

beforeAll(async () => {
  fake = await startFakeDouban({ port: 4620 });
});

afterAll(async () => {
  await fake?.close();
});

interface CityHealth {
  city: string;
  state: string;
  reason: string | null;
  lastSuccessAt: string | null;
  lastError: { reason: string | null; at: string } | null;
  streams: number;
  polling: boolean;
}

interface Health {
  ok: boolean;
  problems: string[];
  redis: { state: string };
  streams: number;
  cities: CityHealth[];
}

/** The server reports what it did after the fact; there is no event to await, so re-read a bounded while. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until)
      throw new Error(`${what}: not within 15 s; last ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** JSON log lines the server printed (each line of its output that parses as our log format). */
function logLines(app: App): Array<Record<string, unknown>> {
  return app
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{"level"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// Same checks on both ways of serving: under `next start` the stream route, the metrics route and the
// health route are separate bundles, and must still share one registry and one set of boards.
describe.each([
  ['npm start (dist/server.js)', 'server', 4621],
  ['next start (the route handler)', 'next-start', 4622],
] as const)('%s: the operator view', (_, mode, port) => {
  let app: App;
  const readMetrics = async () => {
    const response = await fetch(`${app.url}/api/metrics`);
    expect(response.status).toBe(200);
    return response.text();
  };
  const readHealth = async () => {
    const response = await fetch(`${app.url}/api/health`);
    const body = (await response.json()) as Health;
    expect(response.status).toBe(body.ok ? 200 : 503);
    return body;
  };
  const city = (health: Health, slug: string) => health.cities.find((c) => c.city === slug);

  beforeAll(async () => {
    fake.reset();
    // LOG_LEVEL unset: the default is what an operator gets.
    app = await startApp({
      port,
      mode,
      env: {
        DOUBAN_BASE_URL: fake.url,
        POLL_INTERVAL_MS: '300',
        POLL_JITTER: '0',
        POLL_BACKOFF_MAX_MS: '300',
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('serves Prometheus text with every metric the issue names, and the process metrics', async () => {
    const response = await fetch(`${app.url}/api/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    for (const name of [
      'nowshowing_streams_open',
      'nowshowing_streams_closed_total',
      'nowshowing_streams_rejected_total',
      'nowshowing_slow_clients_dropped_total',
      'nowshowing_events_sent_total',
      'nowshowing_bytes_sent_total',
      'nowshowing_upstream_fetch_duration_seconds',
      'nowshowing_upstream_failures_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(metricSample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts open streams by city, events and bytes sent, closed and rejected streams', async () => {
    const before = await readMetrics();
    const eventsBefore = metricSample(before, 'nowshowing_events_sent_total', { city: 'shanghai' }) || 0;
    const bytesBefore = metricSample(before, 'nowshowing_bytes_sent_total') || 0;
    const rejectedBefore =
      metricSample(before, 'nowshowing_streams_rejected_total', { reason: 'bad-request' }) || 0;

    const a = openClient(`${app.url}/api/movies/stream?city=shanghai`);
    const b = openClient(`${app.url}/api/movies/stream?city=shanghai`);
    try {
      for (const client of [a, b]) {
        for (;;) {
          const { data } = await client.next('snapshot');
          if ((data as BoardSnapshot).source === 'douban') break;
        }
      }
      const open = await eventually(
        readMetrics,
        (text) => metricSample(text, 'nowshowing_streams_open', { city: 'shanghai' }) === 2,
        'two open streams',
      );
      expect(metricSample(open, 'nowshowing_events_sent_total', { city: 'shanghai' })).toBeGreaterThanOrEqual(
        eventsBefore + 4,
      );
      expect(metricSample(open, 'nowshowing_bytes_sent_total')).toBeGreaterThan(bytesBefore + 2 * 1000);

      fake.setScore({ city: 'shanghai', id: FIRST_ID, score: 7.1 });
      await a.next('update');
      await b.next('update');
      const afterUpdate = await readMetrics();
      expect(
        metricSample(afterUpdate, 'nowshowing_events_sent_total', { city: 'shanghai' }),
      ).toBeGreaterThanOrEqual(metricSample(open, 'nowshowing_events_sent_total', { city: 'shanghai' }) + 2);

      const bad = await fetch(`${app.url}/api/movies/stream?city=atlantis`);
      expect(bad.status).toBe(400);
      // Also where npm start answers outside Next (whose config adds the security headers).
      expect(bad.headers.get('x-content-type-options')).toBe('nosniff');
      a.close();
      const closed = await eventually(
        readMetrics,
        (text) => metricSample(text, 'nowshowing_streams_open', { city: 'shanghai' }) === 1,
        'one stream closed',
      );
      expect(metricSample(closed, 'nowshowing_streams_closed_total')).toBeGreaterThanOrEqual(1);
      expect(metricSample(closed, 'nowshowing_streams_rejected_total', { reason: 'bad-request' })).toBe(
        rejectedBefore + 1,
      );
      expect(metricSample(closed, 'nowshowing_upstream_fetch_duration_seconds_count')).toBeGreaterThan(0);
    } finally {
      a.close();
      b.close();
    }
  });

  it('answers HEAD on the stream with 405, holding no stream open', async () => {
    const before = await readHealth();
    const response = await fetch(`${app.url}/api/movies/stream?city=nanjing`, { method: 'HEAD' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    // A HEAD that reached GET's handler would hold a stream (and a board) from here on.
    const after = await readHealth();
    expect(after.streams).toBeLessThanOrEqual(before.streams);
    expect(city(after, 'nanjing')).toBeUndefined();
  });

  it('reports per city its state, last success, last error and streams; 200 while serving', async () => {
    const viewer = openClient(`${app.url}/api/movies/stream?city=suzhou`);
    try {
      const live = await eventually(
        readHealth,
        (h) => city(h, 'suzhou')?.state === 'live' && city(h, 'suzhou')?.streams === 1,
        'suzhou live with one stream',
      );
      expect(live).toMatchObject({ ok: true, problems: [], redis: { state: 'disabled' } });
      expect(city(live, 'suzhou')).toMatchObject({ lastError: null, polling: true });
      expect(Date.parse(city(live, 'suzhou')?.lastSuccessAt ?? '')).toBeGreaterThan(0);

      fake.setMode({ city: 'suzhou', mode: 'http-418' });
      const stale = await eventually(readHealth, (h) => city(h, 'suzhou')?.state === 'stale', 'suzhou stale');
      // Douban failing is reported per city; the instance still serves (the last good board).
      expect(stale.ok).toBe(true);
      expect(city(stale, 'suzhou')?.lastError).toMatchObject({ reason: 'http-418' });
      expect(city(stale, 'suzhou')?.lastSuccessAt).toBe(city(live, 'suzhou')?.lastSuccessAt);
      const failures = await eventually(
        readMetrics,
        (text) => metricSample(text, 'nowshowing_upstream_failures_total', { reason: 'http-418' }) >= 1,
        'failure counted',
      );
      expect(
        metricSample(failures, 'nowshowing_upstream_fetch_duration_seconds_count', { outcome: 'failed' }),
      ).toBe(metricSample(failures, 'nowshowing_upstream_failures_total'));
    } finally {
      fake.setMode({ city: 'suzhou', mode: 'ok' });
      viewer.close();
    }
  });

  it('logs quietly by default: nothing per stream or per poll, one JSON line with city and reason per failure', () => {
    const lines = logLines(app);
    // Streams opened and closed, dozens of polls answered: none of it is logged at the default level.
    expect(lines.filter((line) => line.level === 'debug' || line.event === 'stream-closed')).toEqual([]);
    const failed = lines.filter((line) => line.event === 'poll-failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]).toMatchObject({ level: 'warn', city: 'suzhou', reason: 'http-418' });
    // Everything logged is a failure or a lifecycle event, each a parseable line with a time.
    for (const line of lines) {
      expect(Date.parse(line.time as string)).toBeGreaterThan(0);
      expect(['warn', 'error', 'info']).toContain(line.level);
    }
  });
});

describe('npm start with METRICS_TOKEN set', () => {
  let app: App;
  const token = 'scraper-secret-0123456789';

  beforeAll(async () => {
    app = await startApp({ port: 4623, env: { DOUBAN_BASE_URL: fake.url, METRICS_TOKEN: token } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('answers /api/metrics only to the bearer of the token', async () => {
    for (const authorization of [null, 'Bearer wrong-token-0123456789', token, `Bearer ${token}x`]) {
      const response = await fetch(`${app.url}/api/metrics`, {
        headers: authorization ? { Authorization: authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ error: 'metrics-token-required' });
    }
    const response = await fetch(`${app.url}/api/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('# TYPE nowshowing_streams_open gauge');
  });

  it('tells anyone only whether /api/health is ok, and the bearer of the token the detail', async () => {
    for (const authorization of [null, 'Bearer wrong-token-0123456789']) {
      const response = await fetch(`${app.url}/api/health`, {
        headers: authorization ? { Authorization: authorization } : {},
      });
      expect(response.status).toBe(200);
      // No host name, process id, Redis state or which instance polls: what a load balancer needs.
      expect(await response.json()).toEqual({ ok: true, problems: [] });
    }
    const response = await fetch(`${app.url}/api/health`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await response.json()).toMatchObject({
      ok: true,
      instance: expect.any(String),
      cities: expect.any(Array),
    });
  });
});
