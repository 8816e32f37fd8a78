import { describe, expect, it, vi } from 'vitest';
import { UpstreamError } from '@/lib/douban/upstream-error';
import { env } from '@/lib/env';
import type { Movie, NowPlayingPage } from '@/lib/types';
import { createTestCity, type TestCity } from '@/test/create-test-city';
import { makeMovie } from '@/test/make-movie';
import { runEachTestOnFakeTimers } from '@/test/run-each-test-on-fake-timers';

const movie = (id: string, score: number | null = 7) =>
  makeMovie(id, { score, stars: score === null ? null : 35 });

interface Event {
  event?: string;
  id?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/**
 * Reads SSE blocks off a stream, skipping heartbeat comments, and keeps the raw chunks to compare
 * their identity across clients.
 */
function reader(stream: ReadableStream<Uint8Array>) {
  const r = stream.getReader();
  const decoder = new TextDecoder();
  const chunks: Uint8Array[] = [];
  return {
    chunks,
    async next(): Promise<Event> {
      const { value, done } = await r.read();
      if (done) throw new Error('stream ended');
      chunks.push(value);
      const block: Event = {};
      for (const line of decoder.decode(value).trimEnd().split('\n')) {
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (line.startsWith(':')) block.comment = line.slice(1).trim();
        else (block as Record<string, string>)[field ?? ''] = value;
      }
      return block.comment === undefined ? block : this.next();
    },
    async skip(count: number) {
      for (let i = 0; i < count; i++) await this.next();
    },
    cancel: () => r.cancel(),
  };
}

function setup(initial: Movie[] = [movie('1'), movie('2')]) {
  let page: NowPlayingPage | Error = { nowPlaying: initial, upcoming: [] };
  const fetchPage = vi.fn(async () => {
    if (page instanceof Error) throw page;
    return page;
  });
  const board = createTestCity({ fetchPage });
  return {
    board,
    fetchPage,
    serve(next: NowPlayingPage | Error) {
      page = next;
    },
  };
}

/** Opens a stream and reads past retry, snapshot and status. */
async function connect(board: TestCity, lastEventId: number | null = null) {
  const client = reader(board.openStream({ lastEventId }));
  const retry = await client.next();
  return { client, retry };
}

runEachTestOnFakeTimers();

describe('CityChannel over a CityBoard', () => {
  it('greets a new client with retry, a snapshot of the board and the upstream status', async () => {
    const { board } = setup();
    await board.refresh(1000);
    const { client, retry } = await connect(board);
    expect(retry.retry).toBe(String(env.sseRetryMs));
    const snapshot = await client.next();
    expect(snapshot.event).toBe('snapshot');
    const data = JSON.parse(snapshot.data ?? '');
    expect(snapshot.id).toBe(String(data.version));
    expect(data).toMatchObject({ city: 'shanghai', stale: false, source: 'douban' });
    expect(data.nowPlaying.map((m: Movie) => m.id)).toEqual(['1', '2']);
    const status = await client.next();
    expect(status.event).toBe('status');
    expect(status.id).toBeUndefined();
    expect(JSON.parse(status.data ?? '')).toMatchObject({ state: 'live', reason: null });
    await client.cancel();
  });

  it('sends every client one update holding only the change, as the same bytes', async () => {
    const { board, serve } = setup();
    await board.refresh(1000);
    const a = await connect(board);
    const b = await connect(board);
    for (const { client } of [a, b]) await client.skip(2);
    serve({ nowPlaying: [movie('1', 7.1), movie('3')], upcoming: [] });
    await vi.advanceTimersByTimeAsync(env.pollIntervalMs * (1 + env.pollJitter));
    const [ua, ub] = [await a.client.next(), await b.client.next()];
    expect([ua.event, ub.event]).toEqual(['update', 'update']);
    expect(a.client.chunks.at(-1)).toBe(b.client.chunks.at(-1));
    const update = JSON.parse(ua.data ?? '');
    expect(update.added.map((m: Movie) => m.id)).toEqual(['3']);
    expect(update.updated.map((m: Movie) => [m.id, m.score])).toEqual([['1', 7.1]]);
    expect(update.removed).toEqual(['2']);
    expect(ua.id).toBe(String(update.version));
    await a.client.cancel();
    await b.client.cancel();
  });

  it("sends Douban's new order, and only then, when the list was reordered", async () => {
    const { board, serve } = setup([movie('1'), movie('2'), movie('3')]);
    await board.refresh(1000);
    const { client } = await connect(board);
    await client.skip(2);
    serve({ nowPlaying: [movie('3'), movie('1'), movie('2')], upcoming: [] });
    await vi.advanceTimersByTimeAsync(env.pollIntervalMs * (1 + env.pollJitter));
    const reordered = JSON.parse((await client.next()).data ?? '');
    expect(reordered).toMatchObject({ added: [], updated: [], removed: [] });
    expect(reordered.order).toEqual({ nowPlaying: ['3', '1', '2'], upcoming: [] });
    expect(board.snapshot().nowPlaying.map((m) => m.id)).toEqual(['3', '1', '2']);
    serve({ nowPlaying: [movie('3', 9), movie('1'), movie('2')], upcoming: [] });
    await vi.advanceTimersByTimeAsync(env.pollIntervalMs * (1 + env.pollJitter));
    expect(JSON.parse((await client.next()).data ?? '').order).toBeUndefined();
    await client.cancel();
  });

  it('replays exactly the updates after Last-Event-ID, and nothing to a client that is current', async () => {
    const { board, serve } = setup();
    await board.refresh(1000);
    const first = board.snapshot().version;
    const versions: number[] = [];
    const { client } = await connect(board);
    await client.skip(2);
    for (const score of [7.1, 7.2, 7.3]) {
      serve({ nowPlaying: [movie('1', score), movie('2')], upcoming: [] });
      await vi.advanceTimersByTimeAsync(env.pollIntervalMs * (1 + env.pollJitter));
      versions.push(Number((await client.next()).id));
    }
    expect(versions[0]).toBeGreaterThan(first);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);

    const resumed = await connect(board, versions[0] ?? null);
    const replayed = [await resumed.client.next(), await resumed.client.next()];
    expect(replayed.map((e) => [e.event, Number(e.id)])).toEqual([
      ['update', versions[1]],
      ['update', versions[2]],
    ]);
    expect((await resumed.client.next()).event).toBe('status');

    const current = await connect(board, versions[2] ?? null);
    expect((await current.client.next()).event).toBe('status');
    for (const c of [client, resumed.client, current.client]) await c.cancel();
  });

  it('answers an unknown or future Last-Event-ID with a fresh snapshot', async () => {
    const { board } = setup();
    await board.refresh(1000);
    for (const id of [1, board.snapshot().version + 1000]) {
      const { client } = await connect(board, id);
      expect((await client.next()).event).toBe('snapshot');
      await client.cancel();
    }
  });

  it('keeps every movie and reports stale when Douban fails, then live again when it recovers', async () => {
    const { board, serve } = setup();
    await board.refresh(1000);
    const { client } = await connect(board);
    await client.skip(2);
    serve(new UpstreamError({ reason: 'http-403', message: 'blocked' }));
    await vi.advanceTimersByTimeAsync(env.pollIntervalMs * (1 + env.pollJitter));
    const stale = await client.next();
    expect(stale.event).toBe('status');
    expect(JSON.parse(stale.data ?? '')).toMatchObject({ state: 'stale', reason: 'http-403' });
    expect(board.snapshot()).toMatchObject({ stale: true, nowPlaying: [{ id: '1' }, { id: '2' }] });

    serve({ nowPlaying: [movie('1'), movie('2')], upcoming: [] });
    await vi.advanceTimersByTimeAsync(env.pollBackoffMaxMs * (1 + env.pollJitter));
    const live = await client.next();
    expect(JSON.parse(live.data ?? '')).toMatchObject({ state: 'live', reason: null });
    expect(board.snapshot().stale).toBe(false);
    await client.cancel();
  });

  it('polls once per interval however many clients watch', async () => {
    const { board, fetchPage } = setup();
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect(board)));
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchPage).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(env.pollIntervalMs * 3);
    expect(fetchPage.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(fetchPage.mock.calls.length).toBeLessThanOrEqual(4);
    for (const { client } of clients) await client.cancel();
  });

  it('forgets a client at once, and stops polling after the grace period once nobody watches', async () => {
    const { board, fetchPage } = setup();
    const { ticker } = board.services;
    const { client } = await connect(board);
    expect(ticker.count()).toBe(1);
    await client.cancel();
    expect(ticker.count()).toBe(0);
    expect(ticker.running()).toBe(false);
    expect(board.health()).toMatchObject({ streams: 0, polling: true });
    await vi.advanceTimersByTimeAsync(env.pollGraceMs + 1);
    expect(board.health().polling).toBe(false);
    const calls = fetchPage.mock.calls.length;
    await vi.advanceTimersByTimeAsync(env.pollIntervalMs * 5);
    expect(fetchPage).toHaveBeenCalledTimes(calls);
  });

  it('ends a stream whose request was aborted, and cleaning up twice is harmless', async () => {
    const { board } = setup();
    const controller = new AbortController();
    const stream = board.openStream({ lastEventId: null, signal: controller.signal });
    expect(board.health().streams).toBe(1);
    controller.abort();
    expect(board.health().streams).toBe(0);
    await stream.cancel();
    expect(board.health().streams).toBe(0);
  });
});
