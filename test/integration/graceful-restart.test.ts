import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUpdate } from '@/components/apply-update';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import {
  openReconnectingClient,
  type ReceivedEvent,
  type ReconnectingClient,
} from './open-reconnecting-client';
import { showOutputOnFailure } from './show-output-on-failure';
import { type App, startApp, withTimeout } from './start-app';
import { type RedisServer, startRedis } from './start-redis';
import { eventually } from './wait-for';

// Instance A is restarted under 200 streams while instance B, on the same Redis, keeps polling the
// city (B has one viewer, the `watcher`, whose events are the truth every client is compared with).
// A's clients come back to A once it is up again and must resume by Last-Event-ID: updates made
// while A drained, while it was gone and after it returned all reach every one of them, replayed,
// in order, with no snapshot to paper over a gap.
const CLIENTS = 200;
const CITY = 'guangzhou';
// Douban holds this city's page ('timeout' mode): a GET /api/movies for it is in flight for ~2.5 s.
const SLOW_CITY = 'hefei';
const FIRST_ID = '36154853'; // 好东西, first movie of the recorded Shanghai page
const ADDED_ID = '99000001';
const SHUTDOWN_TIMEOUT_MS = 8_000;
const PREFIX = 'restart-test:';
const PORTS = { a: 4600, fake: 4601, b: 4602, redis: 4690 };

let fake: FakeDouban;
let redis: RedisServer;
let a: App | undefined;
let b: App | undefined;
const clients: ReconnectingClient[] = [];

const env = () => ({
  DOUBAN_BASE_URL: fake.url,
  DOUBAN_TIMEOUT_MS: '3000',
  POLL_INTERVAL_MS: '500',
  // The fake's cities hold the same film at different scores (tests change one city), which Douban never
  // does; with history on, each city's poll would record the other's score and send trend-only updates.
  // These tests count exact events: they keep no history (test/integration/history.test.ts does).
  HISTORY: 'off',
  POLL_JITTER: '0',
  POLL_BACKOFF_MAX_MS: '1000',
  // Longer than the restart: A's lease outlives its clients unless it gives it up on exit.
  POLL_GRACE_MS: '30000',
  SSE_HEARTBEAT_MS: '1000',
  SSE_RETRY_MS: '400',
  // All 200 clients come from 127.0.0.1.
  STREAMS_PER_IP: '0',
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  REDIS_URL: redis.url,
  REDIS_PREFIX: PREFIX,
  // info: the shutdown line is asserted on.
  LOG_LEVEL: 'info',
});

beforeAll(async () => {
  fake = await startFakeDouban({ port: PORTS.fake });
  redis = await startRedis({ port: PORTS.redis });
  [a, b] = await Promise.all([
    startApp({ port: PORTS.a, env: env() }),
    startApp({ port: PORTS.b, env: env() }),
  ]);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await Promise.allSettled([redis?.stop(), fake?.close()]);
});

showOutputOnFailure(() => ({ a, b }));

function open(app: App): ReconnectingClient {
  const client = openReconnectingClient(`${app.url}/api/movies/stream?city=${CITY}`);
  clients.push(client);
  return client;
}

/** The board a client holds after applying its events the way the page does. */
function boardOf(client: ReconnectingClient): BoardSnapshot | null {
  let board: BoardSnapshot | null = null;
  for (const event of client.events) {
    if (event.type === 'snapshot') board = JSON.parse(event.data) as BoardSnapshot;
    if (event.type !== 'update' || !board) continue;
    const update = JSON.parse(event.data) as BoardUpdate;
    if (update.version > board.version) board = applyUpdate(board, update);
  }
  return board;
}

const updates = (client: ReconnectingClient, after: number): ReceivedEvent[] =>
  client.events.filter((e) => e.type === 'update' && Number(e.id) > after);

const lastSnapshotVersion = (client: ReconnectingClient): number =>
  Number(client.events.findLast((e) => e.type === 'snapshot')?.id);

/** Makes one change on the fake Douban and resolves with its version, once the watcher has it. */
async function change(watcher: ReconnectingClient, what: string, make: () => void): Promise<number> {
  const before = updates(watcher, 0).length;
  make();
  await watcher.until(`the watcher gets the update: ${what}`, () => updates(watcher, 0).length > before);
  return Number(watcher.lastEventId);
}

async function allReach(version: number, what: string, ms = 30_000): Promise<void> {
  await Promise.all(
    clients
      .slice(0, CLIENTS)
      .map((client, n) =>
        client.until(
          `client ${n} reaches version ${version} (${what})`,
          () => Number(client.lastEventId) >= version,
          ms,
        ),
      ),
  );
}

async function health(app: App) {
  const response = await fetch(`${app.url}/api/health`);
  return (await response.json()) as {
    instance: string;
    cities: Array<{ city: string; leader: boolean; source: string; version: number }>;
  };
}

/** GET over a kept-alive connection (Node's default agent), with the `Connection` header answered. */
function getJson(url: string): Promise<{ status: number; connection: string | undefined; body: unknown }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          connection: response.headers.connection,
          body: JSON.parse(body),
        }),
      );
    }).on('error', reject);
  });
}

/**
 * A new stream request to a server that is shutting down, on a connection of its own: it is refused
 * (or reset), answered 503 `shutting-down`, or (sent before the signal was handled) streams and then ends with
 * the `reconnect` event. Anything else, a hang included (5 s), is a failure.
 */
function probeStream(url: string): Promise<string> {
  return new Promise((resolve) => {
    const request = get(`${url}/api/movies/stream?city=${CITY}`, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        if (response.statusCode === 503) {
          const error = (JSON.parse(body) as { error?: string }).error;
          resolve(`503 ${error} retry-after=${Number(response.headers['retry-after']) > 0}`);
        } else if (response.statusCode === 200) {
          resolve(body.includes('event: reconnect') ? '200 then reconnect' : '200 without reconnect');
        } else resolve(`unexpected ${response.statusCode}`);
      });
    });
    request.setTimeout(5_000, () => {
      request.destroy();
      resolve('hung');
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('a graceful restart under 200 clients', () => {
  it('tells every client to reconnect, exits within the bound, and every client misses nothing', async () => {
    const first = a as App;
    // A's viewers arrive first, so A polls the city and holds its lease.
    for (let n = 0; n < CLIENTS; n += 1) open(first);
    await eventually(
      `a serves a live ${CITY} board and holds its lease`,
      async () => {
        const city = (await health(first)).cities.find((c) => c.city === CITY);
        return city?.source === 'douban' && city.leader;
      },
      20_000,
    );
    const live = (await health(first)).cities.find((c) => c.city === CITY)?.version as number;
    await allReach(live, 'the first live board');
    const watcher = open(b as App);
    await watcher.until(
      'the watcher gets its snapshot',
      () => watcher.opens === 1 && lastSnapshotVersion(watcher) > 0,
    );

    const beforeRestart = await change(watcher, 'score 8.1', () =>
      fake.setScore({ city: CITY, id: FIRST_ID, score: 8.1 }),
    );
    await allReach(beforeRestart, 'the update before the restart');
    const instanceA = (await health(first)).instance;

    // An ordinary request in flight when the signal comes: it must still be answered.
    fake.setMode({ city: SLOW_CITY, mode: 'timeout' });
    const slow = getJson(`${first.url}/api/movies?city=${SLOW_CITY}`);
    await eventually(`a asks Douban for ${SLOW_CITY}`, () =>
      fake.requestLog().some((r) => r.city === SLOW_CITY),
    );

    const signalledAt = Date.now();
    first.kill('SIGTERM');
    const probes: string[] = [];
    for (let n = 0; n < 50 && !/^(ECONNREFUSED|ECONNRESET|503)/.test(probes.at(-1) ?? ''); n += 1) {
      probes.push(await probeStream(first.url));
    }
    // A change while A drains: its clients are gone from it already.
    const whileDraining = await change(watcher, 'score 8.2, while a drains', () =>
      fake.setScore({ city: CITY, id: FIRST_ID, score: 8.2 }),
    );
    const inFlight = await slow;
    const exit = await withTimeout(first.exited, SHUTDOWN_TIMEOUT_MS + 5_000, () => 'a did not exit');
    const leaseAfterExit = await redis.call('GET', `${PREFIX}lease:${CITY}`);
    a = undefined;

    expect(probes.length).toBeLessThan(50);
    for (const probe of probes) {
      // (Reset: accepted into the backlog just before the listening socket closed.)
      expect(probe).toMatch(
        /^(ECONNREFUSED|ECONNRESET|503 shutting-down retry-after=true|200 then reconnect)$/,
      );
    }
    expect(inFlight.status).toBe(200);
    expect(inFlight.body).toMatchObject({ city: SLOW_CITY });
    // Its keep-alive connection is closed after it rather than left idle for 5 s, delaying the exit.
    expect(inFlight.connection).toBe('close');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    // It exited because everything was done, not because the bound ran out.
    expect(first.output()).not.toContain('"event":"shutdown-timeout"');
    const shutdownLine = first
      .output()
      .split('\n')
      .find((line) => line.includes('"event":"shutdown"'));
    expect(JSON.parse(shutdownLine as string).streams).toBeGreaterThanOrEqual(CLIENTS);
    // A gave its lease up on the way out rather than leaving the city unpolled until it expired.
    expect(leaseAfterExit).not.toBe(instanceA);

    // While A is gone (its clients knock and are refused), B polls; then A comes back.
    const whileDown: number[] = [];
    whileDown.push(
      await change(watcher, 'score 8.3', () => fake.setScore({ city: CITY, id: FIRST_ID, score: 8.3 })),
    );
    whileDown.push(
      await change(watcher, 'a movie added', () =>
        fake.addMovie({ city: CITY, id: ADDED_ID, title: '重启之后', score: 7.7 }),
      ),
    );
    const removedId = (boardOf(watcher) as BoardSnapshot).nowPlaying[5]?.id as string;
    whileDown.push(
      await change(watcher, 'a movie removed', () => fake.removeMovie({ city: CITY, id: removedId })),
    );
    a = await startApp({ port: PORTS.a, env: env() });
    await allReach(whileDown.at(-1) as number, 'the updates made while a was down', 60_000);
    const afterRestart = await change(watcher, 'score 8.4', () =>
      fake.setScore({ city: CITY, id: FIRST_ID, score: 8.4 }),
    );
    await allReach(afterRestart, 'the update after the restart');

    const truth = (await (await fetch(`${(b as App).url}/api/movies?city=${CITY}`)).json()) as BoardSnapshot;
    expect(truth.version).toBe(afterRestart);
    expect(truth.nowPlaying.find((m) => m.id === ADDED_ID)?.score).toBe(7.7);
    expect(truth.nowPlaying.some((m) => m.id === removedId)).toBe(false);
    const watcherUpdates = (after: number) => updates(watcher, after).map((e) => [e.id, e.data]);
    expect(watcherUpdates(beforeRestart).map(([id]) => Number(id))).toEqual([
      whileDraining,
      ...whileDown,
      afterRestart,
    ]);

    const retries = new Set<number>();
    for (const client of clients.slice(0, CLIENTS)) {
      expect(client.failed).toBeNull();
      // Told to reconnect: the last event of the first stream, with the delay it then waited.
      const firstStream = client.events.filter((e) => e.connection === 1);
      const told = firstStream.at(-1) as ReceivedEvent;
      expect(told.type).toBe('reconnect');
      const { reason, retryMs } = JSON.parse(told.data) as { reason: string; retryMs: number };
      expect(reason).toBe('shutdown');
      retries.add(retryMs);
      // Came back once, to the restarted A, with the last id of the first stream.
      expect(client.opens).toBe(2);
      const reopened = client.attempts.filter((attempt) => attempt.outcome === 'open')[1];
      expect(reopened?.lastEventId).toBe(String(beforeRestart));
      // Refused while A was gone; never a 503 from the A that was leaving (its connections closed).
      for (const attempt of client.attempts.slice(1)) {
        expect(attempt.outcome).toMatch(/^(open|ECONNREFUSED|ECONNRESET)$/);
      }
      // Resumed by replay, not by a snapshot, with exactly the updates the watcher got.
      expect(client.events.filter((e) => e.connection === 2 && e.type === 'snapshot')).toEqual([]);
      const from = lastSnapshotVersion(client);
      expect(lastSnapshotVersion(watcher)).toBeLessThanOrEqual(from);
      expect(updates(client, from).map((e) => [e.id, e.data])).toEqual(watcherUpdates(from));
      const board = boardOf(client) as BoardSnapshot;
      expect(board.version).toBe(truth.version);
      expect(board.nowPlaying).toEqual(truth.nowPlaying);
      expect(board.upcoming).toEqual(truth.upcoming);
    }
    // Each client waits a delay of its own, so they do not all come back in the same instant.
    expect(retries.size).toBeGreaterThan(20);
  }, 240_000);
});
