import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardStatus } from '@/lib/types';
import { type FakeDouban, type PageRequest, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { clusterEnv } from './cluster-env';
import { metricSample, readMetricsText } from './metric-sample';
import { showOutputOnFailure } from './show-output-on-failure';
import { openClient, type SseClient } from './sse-client';
import { type App, startApp } from './start-app';
import { type RedisServer, startRedis } from './start-redis';
import { eventually, liveSnapshot } from './wait-for';

// What Douban sees from a cluster of two instances on a private redis-server: one budget of
// requests for the whole deployment, one poll at a time however slow Douban answers, and a backoff
// that survives a change of the instance that polls.
const INTERVAL = 500;
const PER_MINUTE = 60;
const PORTS = { a: 4840, b: 4841, fake: 4842, redis: 4843 };

let fake: FakeDouban;
let redis: RedisServer;
const apps: Record<'a' | 'b', App | undefined> = { a: undefined, b: undefined };
const clients: SseClient[] = [];

beforeAll(async () => {
  fake = await startFakeDouban({ port: PORTS.fake });
  redis = await startRedis({ port: PORTS.redis });
  const env = {
    ...clusterEnv({ doubanUrl: fake.url, redisUrl: redis.url, prefix: 'budget-test:', intervalMs: INTERVAL }),
    DOUBAN_MAX_RPM: String(PER_MINUTE),
    DOUBAN_TIMEOUT_MS: '10000',
    POLL_BACKOFF_MAX_MS: '16000',
  };
  [apps.a, apps.b] = await Promise.all([startApp({ port: PORTS.a, env }), startApp({ port: PORTS.b, env })]);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.allSettled([apps.a?.stop(), apps.b?.stop()]);
  await Promise.allSettled([redis?.stop(), fake?.close()]);
});

showOutputOnFailure(() => apps);

function connect(app: App | undefined, city: string): SseClient {
  if (!app) throw new Error('instance not running');
  const client = openClient(`${app.url}/api/movies/stream?city=${city}`);
  clients.push(client);
  return client;
}

const requestsOf = (city: string): PageRequest[] =>
  fake.requestLog().filter((request) => request.city === city);

describe('Douban request budget (DOUBAN_MAX_RPM) shared by the cluster', () => {
  it('keeps six watched cities on two instances within one budget, most-watched first, and says so', async () => {
    const onA = ['beijing', 'guangzhou', 'shenzhen'];
    const onB = ['chengdu', 'wuhan', 'nanjing'];
    const start = Date.now();
    // Beijing has five viewers, each other city one: twelve polls a second wanted, one allowed.
    const watched = [
      ...onA.map((city) => connect(apps.a, city)),
      ...[1, 2, 3, 4].map(() => connect(apps.a, 'beijing')),
      ...onB.map((city) => connect(apps.b, city)),
    ];
    await Promise.all(watched.map((client) => liveSnapshot(client)));
    // A rate is counted over a span of time: nothing to await but the end of the span.
    const window = 8_000;
    await new Promise((resolve) => setTimeout(resolve, window - (Date.now() - start)));
    const cities = [...onA, ...onB];
    const counts = Object.fromEntries(
      cities.map((city) => [city, requestsOf(city).filter((r) => r.at <= start + window).length]),
    );
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    // Ten saved up, then one a second, for the two instances together (each alone: twice that).
    expect(total, JSON.stringify(counts)).toBeLessThanOrEqual(10 + (window / 60_000) * PER_MINUTE + 1);
    expect(total, JSON.stringify(counts)).toBeGreaterThanOrEqual(window / 1_000);
    for (const city of cities.slice(1)) expect(counts.beijing).toBeGreaterThan(counts[city] ?? 0);
    // A city held back says why, as a live board: its data is good, it just comes less often.
    const chengdu = watched[onA.length + 4] as SseClient;
    await eventually('a douban-budget status', () =>
      chengdu.received.some(
        ({ type, data }) => type === 'status' && (data as BoardStatus).reason === 'douban-budget',
      ),
    );
    const status = chengdu.received.filter(({ type }) => type === 'status').at(-1)?.data as BoardStatus;
    expect(status.state).toBe('live');
    // And the operator sees how often the budget binds, on each instance.
    for (const app of [apps.a, apps.b]) {
      const text = await readMetricsText(app?.url as string);
      expect(metricSample(text, 'nowshowing_polls_throttled_total')).toBeGreaterThan(0);
    }
    for (const client of watched) client.close();
  });
});

describe('a slow Douban', () => {
  it('is polled by one instance at a time, even when a poll outlasts the lease', async () => {
    // Each answer takes four intervals, more than twice the lease (1.5 intervals).
    fake.setDelay({ city: 'xiamen', ms: INTERVAL * 4 });
    const viewers = [connect(apps.a, 'xiamen'), connect(apps.b, 'xiamen')];
    await eventually(
      'three answered polls',
      () => requestsOf('xiamen').filter((r) => r.answeredAt).length >= 3,
      30_000,
    );
    const requests = requestsOf('xiamen');
    for (let i = 1; i < requests.length; i++) {
      const previous = requests[i - 1] as PageRequest;
      // The next request only once the previous one was answered: never two at once.
      expect(
        previous.answeredAt,
        JSON.stringify(requests.map(({ at, answeredAt }) => [at, answeredAt])),
      ).not.toBeNull();
      expect((requests[i] as PageRequest).at).toBeGreaterThanOrEqual(previous.answeredAt as number);
    }
    for (const client of viewers) client.close();
    fake.setDelay({ ms: 0 });
  });
});

describe('backoff across a change of poller', () => {
  it('continues on the next holder of the lease instead of starting again at the interval', async () => {
    fake.setMode({ city: 'hangzhou', mode: 'http-500' });
    const viewers = [connect(apps.a, 'hangzhou'), connect(apps.b, 'hangzhou')];
    // Failures 1…4 come at 0, 1, 2 and 4 intervals' distance; the fifth is due 8 intervals after the fourth.
    await eventually('four failed polls', () => requestsOf('hangzhou').length >= 4, 20_000);
    const fourth = requestsOf('hangzhou')[3] as PageRequest;
    const health = await (await fetch(`${apps.a?.url}/api/health`)).json();
    const leaderIsA = health.cities.some(
      (entry: { city: string; leader: boolean }) => entry.city === 'hangzhou' && entry.leader,
    );
    const [leader, other] = leaderIsA ? (['a', 'b'] as const) : (['b', 'a'] as const);
    // A graceful stop gives the lease up at once: the other instance holds it within half an interval.
    await apps[leader]?.stop();
    apps[leader] = undefined;
    await eventually('a fifth poll, by the other instance', () => requestsOf('hangzhou').length >= 5, 20_000);
    const fifth = requestsOf('hangzhou')[4] as PageRequest;
    // The backoff counts from the cluster's last poll time, stamped by the poller as it starts the
    // fetch: a few ms before the fake sees the request (3,998 ms once in CI). Starting again at the
    // interval would come ~7 intervals early.
    expect(fifth.at - fourth.at).toBeGreaterThanOrEqual(INTERVAL * 8 - 100);
    expect(apps[other]).toBeDefined();
    for (const client of viewers) client.close();
  });
});
