import 'server-only';

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
  refresh(maxWaitMs: number): Promise<void>;
  readonly watchers: number;
  /** Whether polling is scheduled (watchers, or within the grace period after the last one). */
  readonly active: boolean;
  stop(): void;
}

/**
 * Demand-driven polling for one city: one request per interval however many viewers watch, nothing
 * while nobody does, and exponential backoff with jitter while the upstream fails.
 */
export function createPoller(options: PollerOptions): Poller {
  let watchers = 0;
  let active = false;
  let failures = 0;
  let nextDueAt = 0;
  let inflight: Promise<void> | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let graceTimer: ReturnType<typeof setTimeout> | null = null;

  const delayAfter = () => {
    const base = failures === 0 ? options.intervalMs : options.intervalMs * 2 ** (failures - 1);
    const capped = Math.min(base, Math.max(options.backoffMaxMs, options.intervalMs));
    return Math.round(capped * (1 + options.jitter * (2 * Math.random() - 1)));
  };

  const poll = (): Promise<void> => {
    inflight ??= options.run().then((ok) => {
      failures = ok ? 0 : failures + 1;
      nextDueAt = Date.now() + delayAfter();
      inflight = null;
      if (active) schedule(nextDueAt - Date.now());
    });
    return inflight;
  };

  const schedule = (delayMs: number) => {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = setTimeout(
      () => {
        pollTimer = null;
        void poll();
      },
      Math.max(0, delayMs),
    );
    pollTimer.unref?.();
  };

  const stop = () => {
    active = false;
    if (pollTimer) clearTimeout(pollTimer);
    if (graceTimer) clearTimeout(graceTimer);
    pollTimer = graceTimer = null;
  };

  return {
    watch() {
      watchers += 1;
      if (graceTimer) clearTimeout(graceTimer);
      graceTimer = null;
      if (active) return;
      active = true;
      // A poll in flight reschedules itself when it settles.
      if (!inflight) schedule(nextDueAt - Date.now());
    },
    unwatch() {
      watchers = Math.max(0, watchers - 1);
      if (watchers > 0 || !active || graceTimer) return;
      graceTimer = setTimeout(stop, options.graceMs);
      graceTimer.unref?.();
    },
    async refresh(maxWaitMs) {
      if (!inflight && !active && Date.now() >= nextDueAt) void poll();
      if (!inflight) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        inflight,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs))),
      ]);
      clearTimeout(timer);
    },
    get watchers() {
      return watchers;
    },
    get active() {
      return active;
    },
    stop,
  };
}
