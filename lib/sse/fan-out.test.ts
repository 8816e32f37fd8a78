import { beforeEach, describe, expect, it, vi } from 'vitest';
import { env } from '@/lib/env';
import { encodeEvent } from '@/lib/sse/encode-event';
import type { NowPlayingPage } from '@/lib/types';
import { createTestCity } from '@/test/create-test-city';
import { makeMovie } from '@/test/make-movie';
import { runEachTestOnFakeTimers } from '@/test/run-each-test-on-fake-timers';

// Counts every SSE block the board encodes, while keeping the real encoder.
vi.mock('@/lib/sse/encode-event', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/sse/encode-event')>();
  return { ...original, encodeEvent: vi.fn(original.encodeEvent) };
});

const movie = (id: string, score: number) => makeMovie(id, { score });

function createBoard() {
  let page: NowPlayingPage = { nowPlaying: [movie('1', 7), movie('2', 8)], upcoming: [] };
  const board = createTestCity({ fetchPage: async () => page });
  return {
    board,
    serve: (next: NowPlayingPage) => {
      page = next;
    },
  };
}

const N = 2_000;

runEachTestOnFakeTimers();

beforeEach(() => {
  vi.mocked(encodeEvent).mockClear();
});

describe('fan-out to many streams', () => {
  it(`encodes the snapshot and each update once per version, for ${N} streams`, async () => {
    const { board, serve } = createBoard();
    await board.refresh(1_000);
    vi.mocked(encodeEvent).mockClear();
    const readers = Array.from({ length: N }, () => board.openStream({ lastEventId: null }).getReader());
    const snapshots = vi.mocked(encodeEvent).mock.calls.filter(([event]) => event.event === 'snapshot');
    expect(snapshots).toHaveLength(1);

    serve({ nowPlaying: [movie('1', 7.1), movie('2', 8)], upcoming: [] });
    vi.mocked(encodeEvent).mockClear();
    await vi.advanceTimersByTimeAsync(env.pollIntervalMs * (1 + env.pollJitter));
    const updates = vi.mocked(encodeEvent).mock.calls.filter(([event]) => event.event === 'update');
    expect(updates).toHaveLength(1);
    for (const reader of readers) await reader.cancel();
  });

  it('holds no session, timer or watcher once clients have come and gone three times over', async () => {
    const { board } = createBoard();
    const { ticker } = board.services;
    for (let round = 0; round < 3; round++) {
      const controllers = Array.from({ length: N }, () => new AbortController());
      const streams = controllers.map((controller) =>
        board.openStream({ lastEventId: null, signal: controller.signal }),
      );
      expect(board.health().streams).toBe(N);
      expect(ticker.running()).toBe(true);
      // Half leave by aborting their request, half by cancelling the stream.
      controllers.forEach((controller, index) => {
        if (index % 2 === 0) controller.abort();
      });
      await Promise.all(streams.filter((_, index) => index % 2 === 1).map((stream) => stream.cancel()));
      expect(board.health().streams).toBe(0);
    }
    expect(ticker.count()).toBe(0);
    expect(ticker.running()).toBe(false);
    await vi.advanceTimersByTimeAsync(env.pollGraceMs + 1);
    expect(board.health().polling).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
