import { describe, expect, it } from 'vitest';
import { beginShutdown } from '@/lib/shutdown';
import type { CloseReason, Session } from './session';
import { closeAllSessions, countSessions, trackSession, untrackSession } from './session-ticker';

const decoder = new TextDecoder();

/** A session that records what it is sent and why it closed, and leaves the ticker when it closes. */
function createFakeSession() {
  const sent: string[] = [];
  let closedBy: CloseReason | null = null;
  const session: Session = {
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
      untrackSession(session);
    },
  };
  return { session, sent, closedBy: () => closedBy };
}

const retryOf = (sent: string[]) => Number(/^retry: (\d+)\n\n$/.exec(sent.at(-1) ?? '')?.[1]);

// In this order: the second test begins the process's shutdown, which cannot be undone.
describe('session ticker at shutdown', () => {
  it('tells every stream to reconnect, each after a delay of its own, and ends it', () => {
    const fakes = Array.from({ length: 50 }, () => createFakeSession());
    for (const fake of fakes) trackSession(fake.session);
    expect(closeAllSessions({ spreadMs: 1_000 })).toBe(50);
    expect(countSessions()).toBe(0);
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
    beginShutdown();
    const late = createFakeSession();
    trackSession(late.session);
    late.session.write(new TextEncoder().encode('data: greeting\n\n'));
    expect(late.closedBy()).toBeNull();
    await Promise.resolve();
    expect(late.closedBy()).toBe('shutdown');
    expect(late.sent[0]).toBe('data: greeting\n\n');
    expect(late.sent[1]).toMatch(/^event: reconnect\ndata: \{"reason":"shutdown","retryMs":\d+\}\n\n$/);
    expect(countSessions()).toBe(0);
  });
});
