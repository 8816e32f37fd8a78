import { describe, expect, it } from 'vitest';
import type { Bus, BusMessage, BusState, StoredBoard } from '@/lib/bus/bus';
import { createTestCity } from '@/test/create-test-city';
import { makeMovie } from '@/test/make-movie';

/** A bus as an instance of a cluster sees it: a store to load from, a state, no polling here. */
function createClusterBus(stored: StoredBoard | null, state: BusState = 'ready') {
  const listeners = new Set<(state: BusState) => void>();
  const bus: Bus = {
    mode: 'redis',
    instance: 'test',
    state: () => state,
    onState: (listener) => listeners.add(listener),
    subscribe: () => () => {},
    publish: async () => true,
    nextVersion: async (_city, previous) => previous + 1,
    load: async () => stored,
    lease: () => ({
      acquire: async () => null,
      markPolled: async () => {},
      release: async () => {},
    }),
  };
  return {
    bus,
    setState(next: BusState) {
      state = next;
    },
  };
}

const snapshotMessage = (version: number): BusMessage => ({
  city: 'beijing',
  name: 'snapshot',
  version,
  previous: null,
  data: JSON.stringify({
    city: 'beijing',
    version,
    fetchedAt: '2026-11-25T10:00:00.000Z',
    stale: false,
    source: 'douban',
    nowPlaying: [makeMovie('1')],
    upcoming: [],
  }),
});

const createBoard = (bus: Bus) => {
  const city = createTestCity({ city: 'beijing', bus });
  return { ...city, onBusState: city.feed.sync.onBusState };
};

describe('CityBoard in a cluster', () => {
  it("takes the cluster's first board even when its version is below this instance's clock", async () => {
    const { bus } = createClusterBus(null);
    const board = createBoard(bus);
    await board.ready;
    expect(board.snapshot().source).toBe('none');
    board.receive(snapshotMessage(1_000));
    expect(board.snapshot()).toMatchObject({ version: 1_000, source: 'douban', nowPlaying: [{ id: '1' }] });
    // From then on the board is the cluster's: an older event is a duplicate.
    board.receive(snapshotMessage(999));
    expect(board.snapshot().version).toBe(1_000);
  });

  it('adopts the stored board on start, and skips a stored snapshot that is not one', async () => {
    const good = createBoard(
      createClusterBus({ snapshot: snapshotMessage(5).data, status: null, history: [] }).bus,
    );
    await good.ready;
    expect(good.snapshot()).toMatchObject({ version: 5, source: 'douban' });
    for (const snapshot of ['not json', '{"version":5}']) {
      const bad = createBoard(createClusterBus({ snapshot, status: null, history: [] }).bus);
      await bad.ready;
      expect(bad.snapshot().source).toBe('none');
      expect(bad.snapshot().version).toBeGreaterThan(1_000_000);
    }
  });

  it('stays degraded when Redis drops again while the board catches up', async () => {
    const cluster = createClusterBus(null);
    const board = createBoard(cluster.bus);
    await board.ready;
    await board.onBusState('down');
    cluster.setState('down');
    await board.onBusState('ready');
    expect(board.health().state).toBe('degraded');
    cluster.setState('ready');
    await board.onBusState('ready');
    expect(board.health().state).not.toBe('degraded');
  });
});
