import 'server-only';
import type { Bus } from '@/lib/bus/bus';
import { createMemoryBus } from '@/lib/bus/create-memory-bus';
import { createRedisBus } from '@/lib/bus/create-redis-bus';
import { fetchNowPlaying } from '@/lib/douban/fetch-now-playing';
import { getSavedPage } from '@/lib/douban/get-saved-page';
import { env } from '@/lib/env';
import { singleton } from '@/lib/singleton';
import { CityBoard } from './city-board';

const boards = singleton('boards', () => {
  const bus: Bus = env.redisUrl
    ? createRedisBus({
        url: env.redisUrl,
        prefix: env.redisPrefix,
        historyLimit: env.historyLimit,
        leaseMs: Math.round(env.pollIntervalMs * 1.5),
      })
    : createMemoryBus();
  const byCity = new Map<string, CityBoard>();
  // One subscription for the whole process, whatever the number of cities and streams.
  bus.subscribe((message) => byCity.get(message.city)?.receive(message));
  bus.onState((state) => {
    for (const board of byCity.values()) void board.onBusState(state);
  });
  return { bus, byCity };
});

/**
 * The one board of a city in this process, created on first use. `city` must already be validated
 * (`parseCity`): boards are never created for arbitrary input. Await `board.ready` before streaming.
 */
export function getBoard(city: string): CityBoard {
  let board = boards.byCity.get(city);
  if (!board) {
    board = new CityBoard({
      city,
      bus: boards.bus,
      fetchPage: (slug) => fetchNowPlaying({ city: slug }),
      saved: getSavedPage(city),
    });
    boards.byCity.set(city, board);
  }
  return board;
}

/** Every board this process has created, for health checks. */
export function listBoards(): CityBoard[] {
  return [...boards.byCity.values()];
}

/** Stops every city's polling and gives up this instance's leases (see `CityBoard.stopPolling`). */
export async function stopPolling(): Promise<void> {
  await Promise.all(listBoards().map((board) => board.stopPolling()));
}

/** The bus in use, for health checks. */
export function getBus(): Bus {
  return boards.bus;
}
