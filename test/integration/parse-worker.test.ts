import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardUpdate } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { metricSample, readMetricsText } from './metric-sample';
import { openClient, type SseClient } from './sse-client';
import { type App, type AppMode, startApp } from './start-app';
import { liveSnapshot, nextStatus } from './wait-for';

// This suite's own ports: other suites run beside it on the same machine.
const FAKE_PORT = 4800;
const CITY = 'shangrao';

let fake: FakeDouban;

beforeAll(async () => {
  fake = await startFakeDouban({ port: FAKE_PORT });
});

afterAll(async () => {
  await fake?.close();
});

// Both servers build their services in a different bundle (dist/server.js, Next's own), and each must
// find dist/parse-worker.js and run piscina's thread file from node_modules.
describe.each([
  ['npm start (dist/server.js)', 'server', 4801],
  ['next start', 'next-start', 4802],
] as const)("Douban's page parsed in the worker thread, under %s", (_, mode: AppMode, port) => {
  let app: App;
  let client: SseClient;

  beforeAll(async () => {
    fake.reset();
    app = await startApp({
      port,
      mode,
      env: { DOUBAN_BASE_URL: fake.url, POLL_INTERVAL_MS: '300', POLL_JITTER: '0', LOG_LEVEL: 'info' },
    });
    client = openClient(`${app.url}/api/movies/stream?city=${CITY}`);
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
  });

  it('polls: the board goes live from the worker and each change arrives', async () => {
    const snapshot = await liveSnapshot(client);
    expect(snapshot.nowPlaying).toHaveLength(21);
    const id = snapshot.nowPlaying[0]?.id as string;
    fake.setScore({ city: CITY, id, score: 9.9 });
    const update = (await client.next('update')).data as BoardUpdate;
    expect(update.updated.map((movie) => [movie.id, movie.score])).toEqual([[id, 9.9]]);

    const text = await readMetricsText(app.url);
    const parses = 'nowshowing_parse_duration_seconds_count';
    expect(metricSample(text, parses, { thread: 'worker' })).toBeGreaterThanOrEqual(2);
    expect(metricSample(text, parses, { thread: 'main' })).toBeNaN();
    expect(app.output()).not.toContain('parse-worker-missing');
  });

  it("fails a poll with the parser's own reason, and decodes a GB18030 page there too", async () => {
    fake.setMode({ city: CITY, mode: 'antibot-200' });
    expect((await nextStatus(client, 'stale')).reason).toBe('not-a-nowplaying-page');
    fake.setMode({ city: CITY, mode: 'gb18030' });
    expect((await nextStatus(client, 'live')).reason).toBeNull();
  });
});
