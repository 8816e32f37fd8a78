import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, BoardStatus, BoardUpdate } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { metricSample, readMetricsText } from './metric-sample';
import { openClient } from './sse-client';
import { type App, startApp } from './start-app';
import { liveSnapshot, nextStatus } from './wait-for';

// This suite's own ports: other suites run beside it on the same machine.
const APP_PORT = 4542;
const FAKE_PORT = 4543;
const CONFIRM_POLLS = 3;

let fake: FakeDouban;
let app: App;
const clients: Array<{ close(): void }> = [];

function connect(city: string) {
  const client = openClient(`${app.url}/api/movies/stream?city=${city}`);
  clients.push(client);
  return client;
}

/** The server's JSON log lines for one event. */
const logLines = (event: string) =>
  app
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  fake = await startFakeDouban({ port: FAKE_PORT });
  app = await startApp({
    port: APP_PORT,
    mode: 'server',
    env: {
      DOUBAN_BASE_URL: fake.url,
      DOUBAN_TIMEOUT_MS: '5000',
      POLL_INTERVAL_MS: '400',
      POLL_JITTER: '0',
      POLL_BACKOFF_MAX_MS: '800',
      SSE_HEARTBEAT_MS: '1000',
      SSE_RETRY_MS: '200',
      SUSPICIOUS_DROP_RATIO: '0.5',
      SUSPICIOUS_CONFIRM_POLLS: String(CONFIRM_POLLS),
      LOG_LEVEL: 'warn',
    },
  });
});

afterAll(async () => {
  for (const client of clients.splice(0)) client.close();
  await app?.stop();
  await fake?.close();
});

describe('a Douban that lies or changes (npm start)', () => {
  it(`holds back a page with far fewer movies, and believes it once ${CONFIRM_POLLS} polls agree`, async () => {
    const client = connect('hangzhou');
    const snapshot = await liveSnapshot(client);
    expect(snapshot.nowPlaying).toHaveLength(85);
    const kept = snapshot.nowPlaying.slice(0, 2).map((movie) => movie.id);
    // Synchronous: no poll can see a page halfway through the removals.
    for (const movie of snapshot.nowPlaying.slice(2)) fake.removeMovie({ city: 'hangzhou', id: movie.id });
    const requestsBefore = fake.requests('hangzhou');

    const suspicious = await nextStatus(client, 'stale');
    expect(suspicious).toMatchObject({ city: 'hangzhou', reason: 'suspicious-drop' });
    const update = await client.next('update');
    const requestsAfter = fake.requests('hangzhou');

    // Until then, nothing but the status: no mass removal reached the client.
    const types = client.received.map((event) => event.type);
    const stale = client.received.findIndex(
      (event) => event.type === 'status' && (event.data as BoardStatus).reason === 'suspicious-drop',
    );
    expect(types.indexOf('update')).toBeGreaterThan(stale);
    expect(requestsAfter - requestsBefore).toBeGreaterThanOrEqual(CONFIRM_POLLS);
    const data = update.data as BoardUpdate;
    expect(data.removed).toHaveLength(83);
    expect(data.removed).not.toEqual(expect.arrayContaining(kept));
    // Believed, it is Douban's board again: live, said just before the update.
    expect(client.received[types.indexOf('update') - 1]).toMatchObject({
      type: 'status',
      data: { state: 'live', reason: null },
    });

    const warning = logLines('suspicious-drop').find((line) => line.city === 'hangzhou');
    expect(warning).toMatchObject({ level: 'warn', previous: 85, found: 2, needed: CONFIRM_POLLS });
  });

  it('treats a redirect to sec.douban.com as a failed poll and keeps the board', async () => {
    const client = connect('chengdu');
    await liveSnapshot(client);
    fake.setMode({ city: 'chengdu', mode: 'redirect' });
    expect(await nextStatus(client, 'stale')).toMatchObject({ city: 'chengdu', reason: 'redirect' });
    const board = (await (await fetch(`${app.url}/api/movies?city=chengdu`)).json()) as BoardSnapshot;
    expect(board).toMatchObject({ stale: true, source: 'douban' });
    expect(board.nowPlaying).toHaveLength(85);
    expect(client.received.some((event) => event.type === 'update')).toBe(false);

    fake.setMode({ city: 'chengdu', mode: 'ok' });
    expect(await nextStatus(client, 'live')).toMatchObject({ reason: null });
  });

  it('reads a page served as GB18030', async () => {
    fake.setMode({ city: 'xian', mode: 'gb18030' });
    const snapshot = await liveSnapshot(connect('xian'));
    expect(snapshot.nowPlaying).toHaveLength(85);
    expect(snapshot.nowPlaying[0]?.title).toBe('好东西');
  });

  // Counts what the tests above made happen (they run in order, in this one server).
  it('shows fetch times and failures by reason in /api/metrics', async () => {
    const text = await readMetricsText(app.url);
    const count = 'nowshowing_upstream_fetch_duration_seconds_count';
    expect(metricSample(text, count, { outcome: 'ok' })).toBeGreaterThan(0);
    expect(metricSample(text, count, { outcome: 'failed' })).toBeGreaterThan(0);
    expect(metricSample(text, 'nowshowing_upstream_failures_total', { reason: 'redirect' })).toBeGreaterThan(
      0,
    );
  });
});
