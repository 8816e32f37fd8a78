import { describe, expect, it } from 'vitest';
import { createMetrics } from '@/lib/metrics/metrics';
import { createSessionTicker } from './create-session-ticker';
import type { CloseReason } from './session';

let shuttingDown = false;
const ticker = createSessionTicker({
  heartbeatMs: 15_000,
  maxDurationMs: 0,
  retryMs: 1_000,
  metrics: createMetrics(),
  shuttingDown: () => shuttingDown,
});

const decoder = new TextDecoder();

interface FakeSession {
  openedAt: number;
  readonly closed: boolean;
  write(chunk: Uint8Array): void;
  close(reason: CloseReason): void;
}

/** A session that records what it is sent and why it closed, and leaves the ticker when it closes. */
function createFakeSession() {
  const sent: string[] = [];
  let closedBy: CloseReason | null = null;
  const session: FakeSession = {
    openedAt: Date.now(),
    get closed() {
      return closedBy !== null;
    },
    write(chunk) {
      if (closedBy === null) sent.push(decoder.decode(chunk));
    },
    close(reason) {
      if (closedBy !== null) return;
      closedBy = reason;
      ticker.untrack(session);
    },
  };
  return { session, sent, closedBy: () => closedBy };
}

const retryOf = (sent: string[]) => Number(/^retry: (\d+)\n\n$/.exec(sent.at(-1) ?? '')?.[1]);

// In this order: the second test begins the shutdown.
describe('session ticker at shutdown', () => {
  it('tells every stream to reconnect, each after a delay of its own, and ends it', () => {
    const fakes = Array.from({ length: 50 }, () => createFakeSession());
    for (const fake of fakes) ticker.track(fake.session);
    expect(ticker.closeAll({ spreadMs: 1_000 })).toBe(50);
    expect(ticker.count()).toBe(0);
    for (const { sent, closedBy } of fakes) {
      expect(closedBy()).toBe('shutdown');
      const retry = retryOf(sent);
      expect(sent).toEqual([
        `event: reconnect\ndata: {"reason":"shutdown","retryMs":${retry}}\n\n`,
        `retry: ${retry}\n\n`,
      ]);
      expect(retry).toBeGreaterThanOrEqual(250);
      expect(retry).toBeLessThanOrEqual(1_250);
    }
    expect(new Set(fakes.map(({ sent }) => retryOf(sent))).size).toBeGreaterThan(10);
  });

  it('ends a stream opened after the shutdown began the same way, once its owner has opened it', async () => {
    shuttingDown = true;
    const late = createFakeSession();
    ticker.track(late.session);
    late.session.write(new TextEncoder().encode('data: greeting\n\n'));
    expect(late.closedBy()).toBeNull();
    await Promise.resolve();
    expect(late.closedBy()).toBe('shutdown');
    expect(late.sent[0]).toBe('data: greeting\n\n');
    expect(late.sent[1]).toMatch(/^event: reconnect\ndata: \{"reason":"shutdown","retryMs":\d+\}\n\n$/);
    expect(ticker.count()).toBe(0);
  });
});
