import { describe, expect, it, vi } from 'vitest';
import type { Lease } from '@/lib/bus/bus';
import { createMemoryBus } from '@/lib/bus/create-memory-bus';
import { runEachTestOnFakeTimers } from '@/test/run-each-test-on-fake-timers';
import { createPollBudget } from './create-poll-budget';
import { createPoller } from './create-poller';

const interval = 1_000;

/** One lease shared by several pollers, with the semantics of the Redis one (SET NX PX + renew). */
function createSharedLease(ttlMs: number) {
  let holder: string | null = null;
  let expiresAt = 0;
  let lastPolledAt: number | null = null;
  let failures = 0;
  return {
    holder: () => (Date.now() < expiresAt ? holder : null),
    failures: () => failures,
    for(id: string, alive = () => true): Lease {
      return {
        async acquire() {
          if (!alive()) throw new Error('gone');
          const now = Date.now();
          if (holder !== id && now < expiresAt) return null;
          holder = id;
          expiresAt = now + ttlMs;
          return { lastPolledAt, failures };
        },
        async markPolled(at) {
          lastPolledAt = at;
        },
        async recordFailures(count) {
          if (holder === id && Date.now() < expiresAt) failures = count;
        },
        async release() {
          if (holder === id) expiresAt = 0;
        },
      };
    },
  };
}

function startPoller(lease: Lease, { ok = () => true }: { ok?: () => boolean } = {}) {
  const polls: number[] = [];
  const poller = createPoller({
    run: async () => {
      polls.push(Date.now());
      return ok();
    },
    budget: null,
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
      budget: null,
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
          return { lastPolledAt: garbage, failures: 0 };
        },
        async markPolled() {},
        async recordFailures() {},
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

  it('renews the lease while a poll outlasts it, so no other instance polls meanwhile', async () => {
    const lease = createSharedLease(interval * 1.5);
    const started: string[] = [];
    let finish = () => {};
    // Douban answers A's first poll after five intervals, more than three times the lease.
    const slow = (id: string) =>
      createPoller({
        run: () => {
          started.push(id);
          return new Promise<boolean>((resolve) => (finish = () => resolve(true)));
        },
        budget: null,
        intervalMs: interval,
        jitter: 0,
        backoffMaxMs: interval * 8,
        graceMs: interval,
        lease: lease.for(id),
      });
    const a = slow('a');
    a.watch();
    await vi.advanceTimersByTimeAsync(10);
    const b = slow('b');
    b.watch();
    await vi.advanceTimersByTimeAsync(interval * 5);
    expect(started).toEqual(['a']);
    expect(lease.holder()).toBe('a');
    finish();
    await a.stop();
    await vi.advanceTimersByTimeAsync(interval);
    expect(started).toEqual(['a', 'b']);
    finish();
    await b.stop();
  });

  it('hands its backoff to the next holder: a blocked cluster that changes leaders still backs off', async () => {
    const lease = createSharedLease(interval * 1.5);
    const a = startPoller(lease.for('a'), { ok: () => false });
    // Failures at 0, 1, 3 and 7 intervals: the next poll is due eight intervals after the last.
    await vi.advanceTimersByTimeAsync(interval * 7 + 10);
    expect(a.polls).toHaveLength(4);
    expect(lease.failures()).toBe(4);
    const lastPoll = a.polls.at(-1) as number;
    await a.poller.stop();
    const b = startPoller(lease.for('b'), { ok: () => false });
    await vi.advanceTimersByTimeAsync(interval * 7);
    expect(b.polls).toEqual([]);
    await vi.advanceTimersByTimeAsync(interval);
    expect(b.polls).toHaveLength(1);
    expect((b.polls[0] as number) - lastPoll).toBeGreaterThanOrEqual(interval * 8);
    expect(lease.failures()).toBe(5);
    await b.poller.stop();
  });
});

describe('createPoller with a request budget', () => {
  /** Cities polled every interval, each watched by `watchers[i]` streams, sharing one budget. */
  function startCities(watchers: number[], perMinute: number) {
    const budget = createPollBudget({ bus: createMemoryBus(), perMinute, intervalMs: interval });
    return watchers.map((count) => {
      const polls: number[] = [];
      const throttled: boolean[] = [];
      let told = 0;
      const poller = createPoller({
        run: async (poll) => {
          polls.push(Date.now());
          throttled.push(poll.throttled);
          return true;
        },
        budget,
        onThrottled: () => {
          told += 1;
        },
        intervalMs: interval,
        jitter: 0,
        backoffMaxMs: interval * 8,
        graceMs: interval,
        lease: null,
      });
      for (let i = 0; i < count; i++) poller.watch();
      return { poller, polls, throttled, told: () => told };
    });
  }

  it('keeps Douban within the budget however many cities are watched, most-watched first, none starved', async () => {
    // 20 cities want 20 polls a second; the budget is one a second (ten saved up).
    const watchers = [50, ...Array.from({ length: 19 }, () => 1)];
    const cities = startCities(watchers, 60);
    const minutes = 3;
    await vi.advanceTimersByTimeAsync(minutes * 60_000);
    const total = cities.reduce((sum, city) => sum + city.polls.length, 0);
    expect(total).toBeLessThanOrEqual(minutes * 60 + 10);
    expect(total).toBeGreaterThanOrEqual(minutes * 60 * 0.9);
    const [popular, ...others] = cities.map((city) => city.polls.length);
    // The popular city is polled far more often than its share, and every other city still is.
    expect(popular).toBeGreaterThan(((minutes * 60) / 20) * 3);
    for (const count of others) expect(count).toBeGreaterThanOrEqual(3);
    // Each city is told once when the budget first held it back, and each later poll says so.
    for (const city of cities.slice(1)) {
      expect(city.told()).toBeGreaterThanOrEqual(1);
      expect(city.throttled.slice(1).some(Boolean)).toBe(true);
    }
    for (const city of cities) city.poller.stop();
  });

  it('holds nothing back while the cities want less than the budget', async () => {
    const cities = startCities([1, 1, 1], 600);
    await vi.advanceTimersByTimeAsync(interval * 30 + 10);
    for (const city of cities) {
      expect(city.polls).toHaveLength(31);
      expect(city.told()).toBe(0);
      expect(city.throttled.every((value) => value === false)).toBe(true);
      city.poller.stop();
    }
  });
});
