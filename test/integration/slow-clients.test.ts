import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { metricSample, readMetricsText } from './metric-sample';
import { openClient } from './sse-client';
import { type App, startApp, withTimeout } from './start-app';

const CITY = 'shanghai';
const NON_READERS = 100;
const READERS = 3;
// Bounded rounds: each round changes every movie's score, which makes one update of ~38 KB (85
// movies). Loopback absorbs ~4 MB per socket that is not read (the server's autotuned send buffer
// plus the client's receive window), so the non-readers' kernel buffers fill after ~100 rounds; only
// then does Node start queueing for them, and the bound (64 KB or 16 events) drops them.
const MAX_ROUNDS = 200;
const ROUNDS_AFTER_DROP = 3;
/** How late an update may reach a reader that keeps up: polls run every 200 ms, the rest is slack. */
const ON_TIME_MS = 10_000;
/**
 * A ceiling on the server's RSS growth while 100 streams fall behind: a sanity check, not the proof
 * that queues are bounded. Measured here: 80-110 MB, mostly garbage from parsing a page every 200 ms
 * and the history of ~100 updates (heap-used swings more, so it is not asserted). A run with a 1 GB
 * queue bound grew about as much: each event is encoded once and shared by every stream, and what a
 * non-reader has not read sits in the kernel (outside the process), so in a run this short an
 * unbounded queue costs only a few hundred bytes of bookkeeping per event per client. What proves
 * the bound is that all 100 streams are dropped and counted; with a 1 GB bound none is.
 */
const RSS_GROWTH_BOUND = 256 * 1024 * 1024;

let fake: FakeDouban;
let app: App;
const readers: Array<ReturnType<typeof openClient>> = [];
const nonReaders: Socket[] = [];
/** Versions of the updates every reader received, in order. */
let delivered: number[] = [];

const readMetrics = () => readMetricsText(app.url);

/** Re-reads /api/metrics until `check` holds: the server reports drops, there is no event to await. */
async function eventually(check: (metrics: string) => boolean, ms = 20_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const metrics = await readMetrics();
    if (check(metrics)) return metrics;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms:\n${metrics}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A client that asks for the stream and then never reads a byte: its socket stays paused. */
function openNonReader(port: number): Socket {
  const socket = connectTcp({ port, host: '127.0.0.1' });
  socket.pause();
  socket.write(`GET /api/movies/stream?city=${CITY} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  socket.on('error', () => {});
  return socket;
}

/** Everything the server managed to deliver to a non-reader before it dropped it, read at last. */
async function drain(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.resume();
  await withTimeout(once(socket, 'close'), 20_000, () => 'the dropped stream did not end');
  return text;
}

/** The id of the last event that arrived whole (raw HTTP: chunk-size lines sit between events). */
function lastWholeEventId(raw: string): string {
  let last = '';
  for (const match of raw.matchAll(/\nid: (\d+)\n/g)) {
    if (raw.indexOf('\n\n', match.index) !== -1) last = match[1] as string;
  }
  return last;
}

// The production server writes to Node responses; `next start` runs the route handler's web stream.
describe.each([
  ['npm start (dist/server.js)', 'server', 4500],
  ['next start (the route handler)', 'next-start', 4502],
] as const)('slow clients on %s', (_, mode, port) => {
  beforeAll(async () => {
    delivered = [];
    fake = await startFakeDouban({ port: port + 1 });
    app = await startApp({
      port,
      mode,
      env: {
        DOUBAN_BASE_URL: fake.url,
        DOUBAN_TIMEOUT_MS: '2000',
        POLL_INTERVAL_MS: '200',
        // The fake's cities hold the same film at different scores (tests change one city), which Douban never
        // does; with history on, each city's poll would record the other's score and send trend-only updates.
        // These tests count exact events: they keep no history (test/integration/history.test.ts does).
        HISTORY: 'off',
        POLL_JITTER: '0',
        POLL_GRACE_MS: '5000',
        SSE_HEARTBEAT_MS: '5000',
        SSE_RETRY_MS: '200',
        SSE_MAX_QUEUE_BYTES: String(64 * 1024),
        SSE_MAX_QUEUE_EVENTS: '16',
        STREAMS_PER_IP: '0',
        HISTORY_LIMIT: '500',
        LOG_LEVEL: 'info',
      },
    });
  });

  afterAll(async () => {
    for (const reader of readers.splice(0)) reader.close();
    for (const socket of nonReaders.splice(0)) socket.destroy();
    await app?.stop();
    await fake?.close();
  });

  it('drops 100 non-readers, keeps every reader current and on time, and stays bounded in memory', {
    timeout: 180_000,
  }, async () => {
    const url = `${app.url}/api/movies/stream?city=${CITY}`;
    for (let i = 0; i < READERS; i++) readers.push(openClient(url));
    for (const reader of readers) {
      for (;;) {
        const { data } = await reader.next('snapshot');
        if ((data as BoardSnapshot).source === 'douban') break;
      }
    }
    const board = (await (await fetch(`${app.url}/api/movies?city=${CITY}`)).json()) as BoardSnapshot;
    const ids = board.nowPlaying.map((movie) => movie.id);
    const start = String(board.version);

    for (let i = 0; i < NON_READERS; i++) nonReaders.push(openNonReader(port));
    const before = await eventually(
      (m) => metricSample(m, 'nowshowing_streams_open', { city: CITY }) === READERS + NON_READERS,
    );

    // Each round changes every score and waits for the resulting update on every reader.
    const updates: BoardUpdate[] = [];
    let dropRound = -1;
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const score = ((round % 99) + 1) / 10;
      const changedAt = Date.now();
      for (const id of ids) fake.setScore({ city: CITY, id, score });
      const got = await Promise.all(readers.map((reader) => reader.next('update', ON_TIME_MS)));
      expect(Date.now() - changedAt).toBeLessThan(ON_TIME_MS);
      const update = got[0]?.data as BoardUpdate;
      for (const event of got) expect(event.id).toBe(String(update.version));
      expect(update.updated.map((movie) => movie.score)).toEqual(ids.map(() => score));
      updates.push(update);
      if (dropRound === -1 && round % 5 === 0) {
        const dropped = metricSample(await readMetrics(), 'nowshowing_slow_clients_dropped_total', {
          city: CITY,
        });
        if (dropped >= NON_READERS) dropRound = round;
      }
      if (dropRound !== -1 && round >= dropRound + ROUNDS_AFTER_DROP) break;
    }
    expect(dropRound, 'every non-reader was dropped within the rounds').not.toBe(-1);

    const after = await eventually(
      (m) => metricSample(m, 'nowshowing_streams_open', { city: CITY }) === READERS,
    );
    expect(metricSample(after, 'nowshowing_slow_clients_dropped_total', { city: CITY })).toBe(NON_READERS);
    expect(metricSample(after, 'nowshowing_streams_closed_total', { reason: 'slow-client' })).toBe(
      NON_READERS,
    );
    const rss = (metrics: string) => metricSample(metrics, 'process_resident_memory_bytes');
    expect(rss(after) - rss(before)).toBeLessThan(RSS_GROWTH_BOUND);

    // Versions only grow, and the server's history (chained by `previous`) holds exactly what the
    // readers got: a client resuming from the first board replays the same ids, no gap, no extra.
    delivered = updates.map((update) => update.version);
    expect([...delivered].sort((a, b) => a - b)).toEqual(delivered);
    const check = openClient(url, { lastEventId: start });
    readers.push(check);
    for (const version of delivered) {
      const event = await check.next();
      expect(event).toMatchObject({ type: 'update', id: String(version) });
    }

    const logged = app
      .output()
      .split('\n')
      .filter((line) => line.includes('"slow-client-dropped"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged[0]).toMatchObject({ event: 'slow-client-dropped', city: CITY, reason: 'slow-client' });
  });

  it('replays what a dropped client missed when it comes back with Last-Event-ID, not a snapshot', async () => {
    const received = await drain(nonReaders[0] as Socket);
    const lastId = lastWholeEventId(received);
    expect(lastId).not.toBe('');
    const current = (await (await fetch(`${app.url}/api/movies?city=${CITY}`)).json()) as BoardSnapshot;
    expect(Number(lastId)).toBeLessThan(current.version);

    const back = openClient(`${app.url}/api/movies/stream?city=${CITY}`, { lastEventId: lastId });
    readers.push(back);
    const replayed: number[] = [];
    for (;;) {
      const event = await back.next();
      if (event.type === 'status') break;
      expect(event.type).toBe('update');
      replayed.push(Number(event.id));
    }
    expect(replayed).toEqual(delivered.slice(delivered.indexOf(Number(lastId)) + 1));
    expect(replayed.at(-1)).toBe(current.version);
  });
});
