import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { openClient } from './sse-client';
import { type App, startApp } from './start-app';

let fake: FakeDouban;
let app: App;

beforeAll(async () => {
  fake = await startFakeDouban({ port: 4051 });
  // Next 16's dev server builds into .next/dev, apart from the production build the other tests use.
  app = await startApp({
    port: 4050,
    mode: 'dev',
    env: {
      DOUBAN_BASE_URL: fake.url,
      POLL_INTERVAL_MS: '300',
      NEXT_DIST_DIR: '.next-dev-test',
      LOG_LEVEL: 'error',
    },
  });
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe('under next dev', () => {
  it('streams the snapshot and then each update as it happens', async () => {
    const client = openClient(`${app.url}/api/movies/stream?city=shangrao`);
    let snapshot: BoardSnapshot;
    do snapshot = (await client.next('snapshot', 60_000)).data as BoardSnapshot;
    while (snapshot.source !== 'douban');
    expect(snapshot.nowPlaying).toHaveLength(21);
    const id = snapshot.nowPlaying[0]?.id as string;
    fake.setScore({ city: 'shangrao', id, score: 9.9 });
    const update = (await client.next('update')).data as BoardUpdate;
    expect(update.updated.map((m) => [m.id, m.score])).toEqual([[id, 9.9]]);
    client.close();
  });
});
