import type { Bus, BusMessage } from '@/lib/bus/bus';
import { createMemoryBus } from '@/lib/bus/create-memory-bus';
import type { SavedPage } from '@/lib/douban/get-saved-page';
import { readHealth } from '@/lib/read-health';
import { createServices } from '@/lib/services';
import { WebStreamConnection } from '@/lib/sse/web-stream-connection';
import type { BoardSnapshot, NowPlayingPage } from '@/lib/types';

/**
 * One city served by a fresh set of services (its own metrics, bus, boards and streams), as the
 * process would serve it, with Douban replaced by `fetchPage`: what unit tests of the board and the
 * streams drive.
 */
export function createTestCity({
  city = 'shanghai',
  bus = createMemoryBus(),
  fetchPage = async () => ({ nowPlaying: [], upcoming: [] }),
  saved = null,
}: {
  city?: string;
  bus?: Bus;
  fetchPage?: (city: string) => Promise<NowPlayingPage>;
  saved?: SavedPage | null;
} = {}) {
  const services = createServices({ bus, fetchPage, readSaved: () => saved });
  const feed = services.boards.feed(city);
  const channel = services.channel(city);
  return {
    services,
    feed,
    board: feed.board,
    ready: feed.sync.ready,
    /** Polls if due and waits for it at most `maxWaitMs`, as a page read does. */
    refresh: (maxWaitMs: number) => feed.poller.pollIfDue(maxWaitMs),
    snapshot: () => JSON.parse(feed.board.snapshotText()) as BoardSnapshot,
    /** The city's line of /api/health. */
    health: () => {
      const line = readHealth(services).cities.find((entry) => entry.city === city);
      if (!line) throw new Error(`no health line for ${city}`);
      return line;
    },
    /** An event from the bus, as another instance would send it. */
    receive: (message: BusMessage) => feed.sync.receive(message),
    /** Opens a client's stream as the route handler does. */
    openStream({ lastEventId = null, signal }: { lastEventId?: number | null; signal?: AbortSignal } = {}) {
      const connection = new WebStreamConnection(signal);
      channel.open({ connection, lastEventId, ticket: null });
      return connection.stream;
    },
  };
}

export type TestCity = ReturnType<typeof createTestCity>;
