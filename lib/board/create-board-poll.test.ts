import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bus, BusMessage } from '@/lib/bus/bus';
import { createMemoryBus } from '@/lib/bus/create-memory-bus';
import { UpstreamError } from '@/lib/douban/upstream-error';
import { env } from '@/lib/env';
import { createHistory } from '@/lib/history/create-history';
import { createSqliteBackend } from '@/lib/history/create-sqlite-backend';
import { createMetrics } from '@/lib/metrics/metrics';
import type { NowPlayingPage } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { CityBoard } from './city-board';
import { createBoardPoll } from './create-board-poll';
import { createBoardSync } from './create-board-sync';

// This file's metrics: tests read them before and after what they do.
const metrics = createMetrics();

const page = (count: number): NowPlayingPage => ({
  nowPlaying: Array.from({ length: count }, (_, i) => makeMovie(String(i + 1))),
  upcoming: [],
});

/** A city board on the in-memory bus, polled by hand; `published` is every message of the poll. */
function setup({ leaseHeld }: { leaseHeld?: () => boolean } = {}) {
  const memory = createMemoryBus();
  // A lease as the Redis bus has one, when the test gives the answer to "is it still ours?".
  const bus: Bus = leaseHeld
    ? {
        ...memory,
        lease: () => ({
          acquire: async () => (leaseHeld() ? { lastPolledAt: null, failures: 0 } : null),
          markPolled: async () => {},
          recordFailures: async () => {},
          release: async () => {},
        }),
      }
    : memory;
  const published: BusMessage[] = [];
  bus.subscribe((message) => published.push(message));
  let next: NowPlayingPage | Error = page(0);
  const board = new CityBoard({ city: 'shanghai', saved: null });
  const sync = createBoardSync({ board, bus });
  bus.subscribe((message) => sync.receive(message));
  const history = createHistory({ backend: createSqliteBackend({ dataDir: ':memory:' }) });
  const boardPoll = createBoardPoll({
    board,
    sync,
    bus,
    metrics,
    history,
    fetchPage: async () => {
      if (next instanceof Error) throw next;
      return next;
    },
  });
  return {
    board,
    boardPoll,
    history,
    /** One poll, as the poller runs it when the budget held none back. */
    poll: () => boardPoll.run({ throttled: false }),
    published,
    serve(value: NowPlayingPage | Error) {
      next = value;
    },
    /** Messages published since the last call. */
    take(): BusMessage[] {
      return published.splice(0);
    },
  };
}

const statusOf = (message: BusMessage | undefined) => JSON.parse(message?.data ?? 'null');

interface ReadableMetric {
  get(): Promise<{ values: Array<{ metricName?: string; labels: object; value: number }> }>;
}

/** One series' value (0 before it was first touched); `series` picks a histogram's `_count`. */
async function readMetric({
  metric,
  series,
  labels,
}: {
  metric: ReadableMetric;
  series?: string;
  labels: Record<string, string>;
}) {
  const { values } = await metric.get();
  const found = values.find(
    (entry) =>
      (series === undefined || entry.metricName === series) &&
      Object.entries(labels).every(
        ([key, value]) => (entry.labels as Record<string, unknown>)[key] === value,
      ),
  );
  return found?.value ?? 0;
}
const failures = (reason: string) => readMetric({ metric: metrics.upstreamFailures, labels: { reason } });
const fetches = (outcome: string) =>
  readMetric({
    metric: metrics.upstreamFetchSeconds,
    series: 'nowshowing_upstream_fetch_duration_seconds_count',
    labels: { outcome },
  });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createBoardPoll', () => {
  it(`holds back a page with far fewer movies until ${env.suspiciousConfirmPolls} polls agree on it`, async () => {
    const warnings = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { board, poll, serve, take } = setup();
    serve(page(20));
    await poll();
    take();
    const suspiciousBefore = await failures('suspicious-drop');

    serve(page(2));
    for (let held = 1; held < env.suspiciousConfirmPolls; held++) {
      expect(await poll()).toBe(true);
      const messages = take();
      expect(messages.some((message) => message.name === 'update')).toBe(false);
      expect(board.view().page.nowPlaying).toHaveLength(20);
    }
    expect(board.health()).toMatchObject({ state: 'stale', reason: 'suspicious-drop' });
    expect(await failures('suspicious-drop')).toBe(suspiciousBefore + env.suspiciousConfirmPolls - 1);
    const line = warnings.mock.calls
      .map(([text]) => JSON.parse(String(text)))
      .find((entry) => entry.event === 'suspicious-drop');
    expect(line).toMatchObject({ level: 'warn', city: 'shanghai', previous: 20, found: 2, agreeing: 1 });

    await poll();
    const [status, update] = take();
    expect(statusOf(status)).toMatchObject({ state: 'live', reason: null });
    expect(update?.name).toBe('update');
    expect(JSON.parse(update?.data ?? '{}').removed).toHaveLength(18);
    expect(board.view().page.nowPlaying).toHaveLength(2);
  });

  it('goes live again, with no update, when the full page comes back', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { board, poll, serve, take } = setup();
    serve(page(20));
    await poll();
    serve(page(1));
    await poll();
    expect(board.health()).toMatchObject({ state: 'stale', reason: 'suspicious-drop' });
    take();
    serve(page(20));
    await poll();
    expect(take().map((message) => [message.name, statusOf(message)?.state])).toEqual([['status', 'live']]);
  });

  it('times every fetch by outcome and counts failures by reason', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { poll, serve } = setup();
    const before = {
      ok: await fetches('ok'),
      failed: await fetches('failed'),
      redirect: await failures('redirect'),
      internal: await failures('internal'),
    };
    serve(page(3));
    expect(await poll()).toBe(true);
    serve(new UpstreamError({ reason: 'redirect', message: 'to sec.douban.com' }));
    expect(await poll()).toBe(false);
    serve(new TypeError('a bug'));
    expect(await poll()).toBe(false);
    expect(await fetches('ok')).toBe(before.ok + 1);
    expect(await fetches('failed')).toBe(before.failed + 2);
    expect(await failures('redirect')).toBe(before.redirect + 1);
    expect(await failures('internal')).toBe(before.internal + 1);
  });

  it('records the history only while it holds the lease: an instance that lost it mid-poll writes nothing', async () => {
    let held = true;
    const { history, poll, serve, board } = setup({ leaseHeld: () => held });
    serve(page(3));
    await poll();
    expect(board.view().page.nowPlaying[0]?.trend?.seenAt).toBeGreaterThan(0);
    held = false;
    serve({ nowPlaying: [makeMovie('1', { score: 9.9 }), ...page(3).nowPlaying.slice(1)], upcoming: [] });
    await poll();
    expect((await history.film({ id: '1', city: 'shanghai' }))?.points.map((p) => p.score)).toEqual([7]);
  });
});
