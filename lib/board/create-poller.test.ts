import { describe, expect, it, vi } from 'vitest';
import type { Lease } from '@/lib/bus/bus';
import { runEachTestOnFakeTimers } from '@/test/run-each-test-on-fake-timers';
import { createPoller } from './create-poller';

const interval = 1_000;

/** One lease shared by several pollers, with the semantics of the Redis one (SET NX PX + renew). */
function createSharedLease(ttlMs: number) {
  let holder: string | null = null;
  let expiresAt = 0;
  let lastPolledAt: number | null = null;
  return {
    holder: () => (Date.now() < expiresAt ? holder : null),
    for(id: string, alive = () => true): Lease {
      return {
        async acquire() {
          if (!alive()) throw new Error('gone');
          const now = Date.now();
          if (holder !== id && now < expiresAt) return null;
          holder = id;
          expiresAt = now + ttlMs;
          return { lastPolledAt };
        },
        async markPolled(at) {
          lastPolledAt = at;
        },
        async release() {
          if (holder === id) expiresAt = 0;
        },
      };
    },
  };
}

function startPoller(lease: Lease) {
  const polls: number[] = [];
  const poller = createPoller({
    run: async () => {
      polls.push(Date.now());
      return true;
    },
    intervalMs: interval,
    jitter: 0,
    backoffMaxMs: interval * 8,
    graceMs: interval,
    lease,
  });
  poller.watch();
  return { poller, polls };
}

runEachTestOnFakeTimers();

describe('createPoller with a lease', () => {
  it('lets only the holder poll, once per interval, however many instances watch', async () => {
    const lease = createSharedLease(interval * 1.5);
    const a = startPoller(lease.for('a'));
    const b = startPoller(lease.for('b'));
    await vi.advanceTimersByTimeAsync(interval * 10);
    const all = [...a.polls, ...b.polls].sort((x, y) => x - y);
    expect(a.polls.length === 0 || b.polls.length === 0).toBe(true);
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(all.length).toBeLessThanOrEqual(11);
    expect(Math.min(...all.slice(1).map((t, i) => t - (all[i] as number)))).toBeGreaterThanOrEqual(interval);
    a.poller.stop();
    b.poller.stop();
  });

  it('hands polling to another watcher within two intervals when the holder dies', async () => {
    const lease = createSharedLease(interval * 1.5);
    let aAlive = true;
    const a = startPoller(lease.for('a', () => aAlive));
    await vi.advanceTimersByTimeAsync(10);
    const b = startPoller(lease.for('b'));
    await vi.advanceTimersByTimeAsync(interval * 3);
    expect(lease.holder()).toBe('a');
    const diedAt = Date.now();
    aAlive = false;
    a.poller.stop();
    await vi.advanceTimersByTimeAsync(interval * 2);
    expect(b.polls.length).toBeGreaterThan(0);
    expect((b.polls[0] as number) - diedAt).toBeLessThanOrEqual(interval * 2);
    b.poller.stop();
  });

  it('gives the lease up when nobody watches any more, so a watcher elsewhere takes over', async () => {
    const lease = createSharedLease(interval * 1.5);
    const a = startPoller(lease.for('a'));
    await vi.advanceTimersByTimeAsync(10);
    const b = startPoller(lease.for('b'));
    a.poller.unwatch();
    await vi.advanceTimersByTimeAsync(interval * 2);
    expect(a.poller.active).toBe(false);
    await vi.advanceTimersByTimeAsync(interval);
    expect(lease.holder()).toBe('b');
    expect(b.polls.length).toBeGreaterThan(0);
    b.poller.stop();
  });

  it('stops at once, even with viewers, and resolves only once the lease is given up', async () => {
    const lease = createSharedLease(interval * 1.5);
    const own = lease.for('a');
    // A store that takes its time to answer the release.
    let answer = () => {};
    const a = startPoller({
      ...own,
      release: () => new Promise<void>((resolve) => (answer = () => void own.release().then(resolve))),
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(lease.holder()).toBe('a');
    let resolved = false;
    const stopped = a.poller.stop().then(() => {
      resolved = true;
    });
    await Promise.resolve();
    expect(resolved).toBe(false);
    expect(a.poller.active).toBe(false);
    answer();
    await stopped;
    // No time has passed: the lease is free now, not once it expires.
    expect(lease.holder()).toBeNull();
    const polled = a.polls.length;
    await vi.advanceTimersByTimeAsync(interval * 3);
    expect(a.polls).toHaveLength(polled);
  });

  it('once stopped, stays stopped: a late viewer or page read does not take the lease back', async () => {
    const lease = createSharedLease(interval * 1.5);
    const own = lease.for('a');
    // The store answers the first acquire only when the test says so: stop() lands mid-acquire.
    let answer = () => {};
    let first = true;
    const a = startPoller({
      ...own,
      acquire: () => {
        if (!first) return own.acquire();
        first = false;
        return new Promise((resolve) => (answer = () => void own.acquire().then(resolve)));
      },
    });
    await vi.advanceTimersByTimeAsync(1);
    const stopped = a.poller.stop();
    answer();
    await stopped;
    expect(lease.holder()).toBeNull();
    a.poller.watch();
    await a.poller.pollIfDue(interval);
    await vi.advanceTimersByTimeAsync(interval * 3);
    expect(lease.holder()).toBeNull();
    expect(a.poller.active).toBe(false);
  });

  it('at shutdown gives the lease up without waiting for a poll that is already running', async () => {
    const lease = createSharedLease(interval * 1.5);
    let finish = () => {};
    const poller = createPoller({
      run: () => new Promise<boolean>((resolve) => (finish = () => resolve(true))),
      intervalMs: interval,
      jitter: 0,
      backoffMaxMs: interval * 8,
      graceMs: interval,
      lease: lease.for('a'),
    });
    poller.watch();
    await vi.advanceTimersByTimeAsync(1);
    expect(lease.holder()).toBe('a');
    // The poll hangs (a slow Douban): stop() must not wait for it.
    await poller.stop();
    expect(lease.holder()).toBeNull();
    finish();
    await vi.advanceTimersByTimeAsync(interval * 3);
    expect(lease.holder()).toBeNull();
  });

  it('polls nowhere while the lease store is unreachable', async () => {
    const lease = createSharedLease(interval * 1.5);
    const a = startPoller(lease.for('a', () => false));
    await vi.advanceTimersByTimeAsync(interval * 5);
    expect(a.polls).toEqual([]);
    expect(a.poller.leader).toBe(false);
    a.poller.stop();
  });
  it('neither spins nor stops polling when the stored poll time is not a number or far ahead', async () => {
    for (const garbage of [Number.NaN, Number.POSITIVE_INFINITY, Date.now() + interval * 1_000]) {
      let knocks = 0;
      // What a store holding garbage would answer every time, had the bus not read it already.
      const { poller, polls } = startPoller({
        async acquire() {
          knocks += 1;
          return { lastPolledAt: garbage };
        },
        async markPolled() {},
        async release() {},
      });
      await vi.advanceTimersByTimeAsync(interval * 10);
      poller.stop();
      // One poll per interval, the first at once; the lease is renewed every half interval.
      expect(polls.length, String(garbage)).toBeGreaterThanOrEqual(10);
      expect(polls.length, String(garbage)).toBeLessThanOrEqual(11);
      expect(knocks, String(garbage)).toBeLessThanOrEqual(25);
    }
  });
});
