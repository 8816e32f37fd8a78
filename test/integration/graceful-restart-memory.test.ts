import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { openReconnectingClient, type ReconnectingClient } from './open-reconnecting-client';
import { type App, type AppMode, startApp, withTimeout } from './start-app';

// One instance, no Redis: the board lives in the process, so a restart loses its history. The clients
// the server told to reconnect come back by themselves, and a version from before the restart earns
// a snapshot of the board as it is now (restart.test.ts checks the versions; this, the way back).
// Both ways of serving: the production server, and `next start` (instrumentation.ts).
const CLIENTS = 20;
const CITY = 'nanning';
const FIRST_ID = '36154853'; // 好东西, first movie of the recorded Shanghai page
// Far above what an orderly shutdown takes: an exit near it means something hung.
const SHUTDOWN_TIMEOUT_MS = 20_000;
const PORTS = { app: 4604, fake: 4605 };
// What each way of serving exits with after SIGTERM (Next's own handler exits 143 under next start).
const EXIT_CODE: Record<Exclude<AppMode, 'dev'>, number> = { server: 0, 'next-start': 143 };

let fake: FakeDouban;
let app: App | undefined;
let clients: ReconnectingClient[] = [];

const env = () => ({
  DOUBAN_BASE_URL: fake.url,
  POLL_INTERVAL_MS: '500',
  POLL_JITTER: '0',
  SSE_HEARTBEAT_MS: '1000',
  SSE_RETRY_MS: '300',
  STREAMS_PER_IP: '0',
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  LOG_LEVEL: 'info',
});

beforeAll(async () => {
  fake = await startFakeDouban({ port: PORTS.fake });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') console.error(`--- app, last output:\n${app?.output().slice(-3000)}`);
  for (const client of clients) client.close();
  clients = [];
  await app?.stop();
  app = undefined;
  fake.reset();
});

afterAll(async () => {
  await fake?.close();
});

const scoreOf = (board: BoardSnapshot | undefined) => board?.nowPlaying.find((m) => m.id === FIRST_ID)?.score;

const snapshots = (client: ReconnectingClient, connection: number) =>
  client.events
    .filter((e) => e.connection === connection && e.type === 'snapshot')
    .map((e) => JSON.parse(e.data) as BoardSnapshot);

describe.each(['server', 'next-start'] as const)('a restart without Redis (%s)', (mode) => {
  it('ends every stream with a reconnect event, exits well within the bound, and brings each client the board changed while it was down', async () => {
    app = await startApp({ port: PORTS.app, env: env(), mode });
    const first = app;
    clients = Array.from({ length: CLIENTS }, () =>
      openReconnectingClient(`${first.url}/api/movies/stream?city=${CITY}`),
    );
    fake.setScore({ city: CITY, id: FIRST_ID, score: 7.1 });
    await Promise.all(
      clients.map((client) =>
        client.until('a live board with score 7.1', () => scoreOf(snapshots(client, 1).at(-1)) === 7.1),
      ),
    );
    const lastIds = clients.map((client) => Number(client.lastEventId));

    const signalledAt = Date.now();
    first.kill('SIGTERM');
    const exit = await withTimeout(first.exited, SHUTDOWN_TIMEOUT_MS + 5_000, () => 'no exit');
    expect(exit).toMatchObject({ code: EXIT_CODE[mode], signal: null });
    expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(first.output()).not.toContain('"event":"shutdown-timeout"');

    fake.setScore({ city: CITY, id: FIRST_ID, score: 7.2 });
    app = await startApp({ port: PORTS.app, env: env(), mode });
    await Promise.all(
      clients.map((client) =>
        client.until(
          'the board changed while the server was down',
          () => scoreOf(snapshots(client, 2).at(-1)) === 7.2,
        ),
      ),
    );

    clients.forEach((client, n) => {
      expect(client.failed).toBeNull();
      const firstStream = client.events.filter((e) => e.connection === 1);
      expect(firstStream.at(-1)?.type).toBe('reconnect');
      expect(JSON.parse(firstStream.at(-1)?.data as string)).toMatchObject({ reason: 'shutdown' });
      // Came back with its last id, and got the new board as a snapshot, never an update on top of
      // a version the restarted server does not know.
      const reopened = client.attempts.filter((attempt) => attempt.outcome === 'open')[1];
      expect(reopened?.lastEventId).toBe(String(lastIds[n]));
      const second = client.events.filter((e) => e.connection === 2);
      expect(second[0]?.type).toBe('snapshot');
      expect(Number(second[0]?.id)).toBeGreaterThan(lastIds[n] as number);
    });
  }, 120_000);
});
