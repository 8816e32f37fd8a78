import 'server-only';
import { createMemoryBus } from '@/lib/bus/create-memory-bus';
import { fetchNowPlaying } from '@/lib/douban/fetch-now-playing';
import { getSavedPage } from '@/lib/douban/get-saved-page';
import { singleton } from '@/lib/singleton';
import { CityBoard } from './city-board';

const boards = singleton('boards', () => ({ bus: createMemoryBus(), byCity: new Map<string, CityBoard>() }));

/**
 * The one board of a city in this process, created on first use. `city` must already be validated
 * (`parseCity`): boards are never created for arbitrary input.
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
