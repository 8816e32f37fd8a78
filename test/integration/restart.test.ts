import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { openClient } from './sse-client';
import { type App, startApp } from './start-app';
import { liveSnapshot } from './wait-for';

const FIRST_ID = '36154853';
let fake: FakeDouban;
let app: App | undefined;
const env = () => ({
  DOUBAN_BASE_URL: fake.url,
  POLL_INTERVAL_MS: '300',
  POLL_JITTER: '0',
  SSE_RETRY_MS: '100',
  LOG_LEVEL: 'error',
});

beforeAll(async () => {
  fake = await startFakeDouban({ port: 4041 });
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe('a restart of the server', () => {
  it('never reuses a version: an id from before the restart earns a snapshot, never a silent gap', async () => {
    app = await startApp({ port: 4040, env: env() });
    const before = openClient(`${app.url}/api/movies/stream?city=suzhou`);
    await liveSnapshot(before);
    fake.setScore({ city: 'suzhou', id: FIRST_ID, score: 8.8 });
    const lastId = (await before.next('update')).id;
    before.close();
    await app.stop();

    // While the server is down, Douban changes; the restarted server must not skip this change.
    fake.setScore({ city: 'suzhou', id: FIRST_ID, score: 6.6 });
    app = await startApp({ port: 4040, env: env() });
    const resumed = openClient(`${app.url}/api/movies/stream?city=suzhou`, { lastEventId: lastId });
    const first = await resumed.next();
    expect(first.type).toBe('snapshot');
    expect(Number(first.id)).toBeGreaterThan(Number(lastId));
    const board = first.data as BoardSnapshot;
    const latest = board.source === 'douban' ? board : await liveSnapshot(resumed);
    expect(latest.nowPlaying.find((m) => m.id === FIRST_ID)?.score).toBe(6.6);
    expect(latest.version).toBeGreaterThan(Number(lastId));
    resumed.close();
  });
});
