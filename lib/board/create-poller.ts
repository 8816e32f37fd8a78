import 'server-only';
import type { Lease } from '@/lib/bus/bus';
import type { PollBudget } from './create-poll-budget';

export interface PollerOptions {
  /**
   * One poll; resolves true on success, false on failure (it must not reject). `throttled`: Douban's
   * request budget held this poll back at least once, so it comes later than the interval.
   */
  run: (poll: { throttled: boolean }) => Promise<boolean>;
  /** Douban's request budget (`DOUBAN_MAX_RPM`); null: poll whenever due. */
  budget: PollBudget | null;
  /** Called when the budget first holds a due poll back (once until a poll runs). */
  onThrottled?: () => void;
  intervalMs: number;
  /** Each wait is the interval ± this fraction of it, so cities and instances do not poll in step. */
  jitter: number;
  /** Cap of the exponential backoff (interval, 2×, 4×, ...) after consecutive failures. */
  backoffMaxMs: number;
  /** How long polling goes on after the last watcher left. */
  graceMs: number;
  /**
   * With several instances, only the holder of the city's lease polls. Every active instance knocks
   * every half interval: the holder renews (also while a poll runs, however long it takes), the
   * others take over when it is gone, and continue its backoff. None: always poll.
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
 * while the upstream fails (kept with the lease, so a new holder continues it); later than the
 * interval when Douban's request budget is short.
 */
export function createPoller(options: PollerOptions): Poller {
  const { lease, intervalMs, budget } = options;
  let watchers = 0;
  let active = false;
  let leader = lease === null;
  let failures = 0;
  let nextDueAt = 0;
  // When the poll the budget holds back first fell due, and whether it held one back since the last poll.
  let dueSince: number | null = null;
  let throttled = false;
  let inflight: Promise<void> | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let graceTimer: ReturnType<typeof setTimeout> | null = null;
  let renewTimer: ReturnType<typeof setInterval> | null = null;
  let halted = false;

  const jittered = (ms: number) => Math.round(ms * (1 + options.jitter * (2 * Math.random() - 1)));
  const delayFor = (failed: number) => {
    const base = failed === 0 ? intervalMs : intervalMs * 2 ** (failed - 1);
    return Math.min(base, Math.max(options.backoffMaxMs, intervalMs));
  };
  // A lease holder must renew well within the lease's time to live, whatever its poll schedule.
  const wait = (ms: number) => (lease ? Math.min(ms, jittered(intervalMs / 2)) : ms);

  // Whatever the store says, the next poll is due within one (backed-off) interval: a time that is
  // not a number would make a timer that fires at once forever (setTimeout(NaN)) and a due time
  // that never comes.
  const dueAfter = (lastPolledAt: number | null, failed: number) => {
    const delay = delayFor(failed);
    const due = (lastPolledAt ?? 0) + delay;
    return Number.isFinite(due) ? Math.min(due, Date.now() + delay) : 0;
  };

  const holdsLease = async (): Promise<boolean> => {
    if (!lease) return true;
    let held: Awaited<ReturnType<Lease['acquire']>> = null;
    try {
      held = await lease.acquire();
    } catch {
      // The store is unreachable: nobody can publish, so nobody polls.
    }
    if (held && !leader) {
      // A new holder goes on where the cluster is: its last poll, and its backoff after failures.
      failures = held.failures;
      nextDueAt = dueAfter(held.lastPolledAt, failures);
    }
    leader = held !== null;
    return leader;
  };

  // A poll may outlast the lease (slow Douban, slow parse): the holder keeps renewing it meanwhile,
  // or another instance would take it and poll the city a second time.
  const startRenewing = () => {
    if (!lease) return;
    renewTimer = setInterval(() => {
      void holdsLease().then((held) => {
        // Renewed just as polling stopped: give it up again.
        if (held && (!active || halted)) return giveUpLease();
      });
    }, intervalMs / 2);
    renewTimer.unref?.();
  };
  const stopRenewing = () => {
    if (renewTimer) clearInterval(renewTimer);
    renewTimer = null;
  };

  const pollNow = async (): Promise<void> => {
    const now = Date.now();
    // Never polled counts as due ten intervals ago: a first poll comes first, but within reason.
    dueSince ??= Math.max(nextDueAt, now - 10 * intervalMs);
    const waitMs = budget ? await budget.ask({ watchers, waitedMs: now - dueSince }) : 0;
    if (halted) return;
    if (waitMs > 0) {
      // Not jittered: the order in which cities come back is the budget's order of priority.
      nextDueAt = Date.now() + waitMs;
      if (!throttled) options.onThrottled?.();
      throttled = true;
      return;
    }
    lease?.markPolled(Date.now()).catch(() => {});
    startRenewing();
    const failedBefore = failures;
    let ok: boolean;
    try {
      ok = await options.run({ throttled });
    } finally {
      stopRenewing();
    }
    dueSince = null;
    throttled = false;
    failures = ok ? 0 : failures + 1;
    if (failures !== failedBefore) lease?.recordFailures(failures).catch(() => {});
    nextDueAt = Date.now() + jittered(delayFor(failures));
  };

  const tick = async (): Promise<void> => {
    const held = await holdsLease();
    acquired?.();
    if (held && !halted && Date.now() >= nextDueAt) await pollNow();
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

  const giveUpLease = async (): Promise<void> => {
    if (!lease || !leader) return;
    leader = false;
    // Unreachable store: the lease expires by itself.
    await lease.release().catch(() => {});
  };

  // Ends the schedule (the grace period is over, or shutdown); a later `watch` starts it again.
  const pause = async (): Promise<void> => {
    active = false;
    if (pollTimer) clearTimeout(pollTimer);
    if (graceTimer) clearTimeout(graceTimer);
    pollTimer = graceTimer = null;
    stopRenewing();
    await giveUpLease();
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
