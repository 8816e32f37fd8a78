import 'server-only';
import type { Bus } from '@/lib/bus/bus';
import type { SavedPage } from '@/lib/douban/get-saved-page';
import { env } from '@/lib/env';
import type { History } from '@/lib/history/create-history';
import type { Metrics } from '@/lib/metrics/metrics';
import type { NowPlayingPage } from '@/lib/types';
import { CityBoard } from './city-board';
import { createBoardPoll } from './create-board-poll';
import { type BoardSync, createBoardSync } from './create-board-sync';
import { createPollBudget } from './create-poll-budget';
import { createPoller, type Poller } from './create-poller';

/**
 * One city's board kept fresh: the board, its sync with the cluster, and the poller that keeps it
 * current while someone watches. A transport reads `board`, and counts its viewers on `poller`.
 */
export interface BoardFeed {
  readonly city: string;
  readonly board: CityBoard;
  readonly poller: Poller;
  readonly sync: BoardSync;
}

/** Every city's board in this process, created on first use; one bus subscription for all. */
export interface Boards {
  readonly bus: Bus;
  /**
   * The feed of a city, created on first use. `city` must already be validated (`parseCity`): boards
   * are never created for arbitrary input. Await `feed.sync.ready` before serving it.
   */
  feed(city: string): BoardFeed;
  /** Every feed created so far, for health checks. */
  feeds(): BoardFeed[];
  /**
   * Stops every city's polling (the process is going away) and gives up the leases this instance
   * holds, so another instance of the cluster polls at once instead of after the lease expires.
   */
  stopPolling(): Promise<void>;
}

export function createBoards({
  bus,
  metrics,
  fetchPage,
  readSaved,
  history,
}: {
  bus: Bus;
  metrics: Metrics;
  /** Where each poll's page is recorded, and its movies' trends come from. */
  history: History;
  fetchPage: (city: string) => Promise<NowPlayingPage>;
  /** The page bundled with the app for a city, if any. */
  readSaved: (city: string) => SavedPage | null;
}): Boards {
  const byCity = new Map<string, BoardFeed>();
  bus.subscribe((message) => byCity.get(message.city)?.sync.receive(message));
  bus.onState((state) => {
    for (const feed of byCity.values()) void feed.sync.onBusState(state);
  });

  // One budget of requests to Douban for every city (and, with Redis, every instance).
  const budget = createPollBudget({ bus, perMinute: env.doubanMaxRpm, intervalMs: env.pollIntervalMs });

  const create = (city: string): BoardFeed => {
    const board = new CityBoard({ city, saved: readSaved(city) });
    const sync = createBoardSync({ board, bus });
    const poll = createBoardPoll({ board, sync, bus, fetchPage, metrics, history });
    const poller = createPoller({
      run: poll.run,
      onThrottled: poll.onThrottled,
      budget,
      intervalMs: env.pollIntervalMs,
      jitter: env.pollJitter,
      backoffMaxMs: env.pollBackoffMaxMs,
      graceMs: env.pollGraceMs,
      lease: bus.lease(city),
    });
    return { city, board, poller, sync };
  };

  return {
    bus,
    feed(city) {
      let feed = byCity.get(city);
      if (!feed) {
        feed = create(city);
        byCity.set(city, feed);
      }
      return feed;
    },
    feeds: () => [...byCity.values()],
    async stopPolling() {
      await Promise.all([...byCity.values()].map((feed) => feed.poller.stop()));
    },
  };
}
