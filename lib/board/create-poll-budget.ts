import 'server-only';
import type { Bus } from '@/lib/bus/bus';

/** Douban's request budget, as one city's poller asks it for a poll. */
export interface PollBudget {
  /**
   * Asks to poll a city now: `watchers` is how many streams watch it on this instance, `waitedMs` how
   * long its poll has been due. Resolves 0 when it may poll (one request spent), else how many
   * milliseconds to wait before asking again.
   */
  ask(input: { watchers: number; waitedMs: number }): Promise<number>;
}

/**
 * The budget of requests to Douban for the whole deployment (`DOUBAN_MAX_RPM`): a token bucket kept
 * by the bus (in Redis, shared by every instance, when configured) that gains `perMinute` tokens a
 * minute and saves up ten seconds' worth, so a burst of cities opening at once is served at once.
 *
 * When the budget is short, cities are polled less often, most-watched first but none starved: a
 * city takes a token only once the bucket holds its threshold, which falls (towards one token) as
 * its priority grows: its viewers here, times how long its poll has waited. The city of highest
 * priority is the first whose threshold the refilling bucket reaches, so it takes the token; a city
 * left waiting rises until it outranks the others. In the long run each city's share grows with its
 * viewers (a weighted fair queue), and a city nobody watches waits for half the bucket.
 */
export function createPollBudget({
  bus,
  perMinute,
  intervalMs,
}: {
  bus: Bus;
  perMinute: number;
  /** The cities' poll interval: the unit of waiting that raises a city's priority. */
  intervalMs: number;
}): PollBudget {
  const perSecond = perMinute / 60;
  const burst = Math.max(1, perSecond * 10);
  return {
    async ask({ watchers, waitedMs }) {
      const priority = (1 + Math.max(0, watchers)) * (1 + Math.max(0, waitedMs) / intervalMs);
      const threshold = 1 + (burst - 1) / (1 + priority);
      try {
        const { taken, waitMs } = await bus.takeToken({ name: 'douban', perSecond, burst, threshold });
        return taken ? 0 : Math.max(1, waitMs);
      } catch {
        // The shared store is unreachable: no poll could be published now anyway.
        return intervalMs / 2;
      }
    },
  };
}
