import 'server-only';
import type { Lease } from '@/lib/bus/bus';

export interface PollerOptions {
  /** One poll; resolves true on success, false on failure (it must not reject). */
  run: () => Promise<boolean>;
  intervalMs: number;
  /** Each wait is the interval ± this fraction of it, so cities and instances do not poll in step. */
  jitter: number;
  /** Cap of the exponential backoff (interval, 2×, 4×, ...) after consecutive failures. */
  backoffMaxMs: number;
  /** How long polling goes on after the last watcher left. */
  graceMs: number;
  /**
   * With several instances, only the holder of the city's lease polls. Every active instance knocks
   * every half interval: the holder renews, the others take over when it is gone. None: always poll.
   */
  lease: Lease | null;
}

export interface Poller {
  /** A viewer arrived: poll now if due, then on schedule, until the last one leaves. */
  watch(): void;
  /** A viewer left; the last one starts the grace period. */
  unwatch(): void;
  /**
   * For one-off reads (the page, GET /api/movies): polls if due and nobody polls on schedule, and
   * waits for the poll in flight at most `maxWaitMs`. Never polls more often than the schedule would.
   */
  pollIfDue(maxWaitMs: number): Promise<void>;
  /** Whether this instance keeps the city fresh (viewers or grace period), leader or not. */
  readonly active: boolean;
  /** Whether this instance is the one that polls (always, without a lease). */
  readonly leader: boolean;
  /**
   * Stops polling for good (the process is shutting down): later `watch`/`pollIfDue` calls do nothing,
   * and resolves once the poll in flight has settled and the lease, if this instance held it, is
   * given up, so another instance can poll at once.
   */
  stop(): Promise<void>;
}

/**
 * Demand-driven polling for one city: one request per interval however many viewers watch, across
 * every instance when there is a lease; nothing while nobody watches; exponential backoff with jitter
 * while the upstream fails.
 */
export function createPoller(options: PollerOptions): Poller {
  const { lease, intervalMs } = options;
  let watchers = 0;
  let active = false;
  let leader = lease === null;
  let failures = 0;
  let nextDueAt = 0;
  let inflight: Promise<void> | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let graceTimer: ReturnType<typeof setTimeout> | null = null;
  let halted = false;

  const jittered = (ms: number) => Math.round(ms * (1 + options.jitter * (2 * Math.random() - 1)));
  const delayAfter = () => {
    const base = failures === 0 ? intervalMs : intervalMs * 2 ** (failures - 1);
    return jittered(Math.min(base, Math.max(options.backoffMaxMs, intervalMs)));
  };
  // A lease holder must renew well within the lease's time to live, whatever its poll schedule.
  const wait = (ms: number) => (lease ? Math.min(ms, jittered(intervalMs / 2)) : ms);

  // Whatever the store says, the next poll is due within one interval: a time that is not a number
  // would make a timer that fires at once forever (setTimeout(NaN)) and a due time that never comes.
  const dueAfter = (lastPolledAt: number | null) => {
    const due = (lastPolledAt ?? 0) + intervalMs;
    return Number.isFinite(due) ? Math.min(due, Date.now() + intervalMs) : 0;
  };

  const holdsLease = async (): Promise<boolean> => {
    if (!lease) return true;
    let held: { lastPolledAt: number | null } | null = null;
    try {
      held = await lease.acquire();
    } catch {
      // The store is unreachable: nobody can publish, so nobody polls.
    }
    if (held && !leader) nextDueAt = dueAfter(held.lastPolledAt);
    leader = held !== null;
    return leader;
  };

  const tick = async (): Promise<void> => {
    const held = await holdsLease();
    acquired?.();
    if (held && !halted && Date.now() >= nextDueAt) {
      lease?.markPolled(Date.now()).catch(() => {});
      const ok = await options.run();
      failures = ok ? 0 : failures + 1;
      nextDueAt = Date.now() + delayAfter();
    }
    if (active) schedule(wait(leader ? nextDueAt - Date.now() : intervalMs / 2));
  };

  // Resolves when the tick in flight is past taking the lease (then `stop` can give it up).
  let acquired: (() => void) | null = null;
  let leaseSettled: Promise<void> = Promise.resolve();

  const poll = (): Promise<void> => {
    if (!inflight) {
      leaseSettled = new Promise<void>((resolve) => (acquired = resolve));
      inflight = tick().finally(() => {
        acquired?.();
        acquired = null;
        inflight = null;
      });
    }
    return inflight;
  };

  const schedule = (delayMs: number) => {
    if (pollTimer) clearTimeout(pollTimer);
    // Never a timer that fires at once because a computed delay is not a number.
    const ms = Number.isFinite(delayMs) ? Math.max(0, delayMs) : intervalMs / 2;
    pollTimer = setTimeout(() => {
      pollTimer = null;
      void poll();
    }, ms);
    pollTimer.unref?.();
  };

  // Ends the schedule (the grace period is over, or shutdown); a later `watch` starts it again.
  const pause = async (): Promise<void> => {
    active = false;
    if (pollTimer) clearTimeout(pollTimer);
    if (graceTimer) clearTimeout(graceTimer);
    pollTimer = graceTimer = null;
    if (lease && leader) {
      leader = false;
      // Unreachable store: the lease expires by itself.
      await lease.release().catch(() => {});
    }
  };

  const stop = async (): Promise<void> => {
    halted = true;
    await pause();
    // A tick in flight may be taking the lease right now: once it has it, give it up. A poll already
    // running is not waited for: without the lease its result can no longer be published.
    if (inflight) await leaseSettled;
    await pause();
  };

  return {
    watch() {
      watchers += 1;
      if (halted) return;
      if (graceTimer) clearTimeout(graceTimer);
      graceTimer = null;
      if (active) return;
      active = true;
      // A poll in flight reschedules itself when it settles.
      if (!inflight) schedule(lease ? 0 : nextDueAt - Date.now());
    },
    unwatch() {
      watchers = Math.max(0, watchers - 1);
      if (watchers > 0 || !active || graceTimer) return;
      graceTimer = setTimeout(() => void pause(), options.graceMs);
      graceTimer.unref?.();
    },
    async pollIfDue(maxWaitMs) {
      if (halted) return;
      if (!inflight && !active && (lease || Date.now() >= nextDueAt)) void poll();
      if (!inflight) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        inflight,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs))),
      ]);
      clearTimeout(timer);
    },
    get active() {
      return active;
    },
    get leader() {
      return active && leader;
    },
    stop,
  };
}
