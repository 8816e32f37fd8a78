import { describe, expect, it } from 'vitest';
import type { Bus, BusMessage, BusState, StoredBoard } from '@/lib/bus/bus';
import { createTestCity } from '@/test/create-test-city';
import { makeMovie } from '@/test/make-movie';

/** A bus as an instance of a cluster sees it: a store to load from, a state, no polling here. */
function createClusterBus(initial: StoredBoard | null, state: BusState = 'ready') {
  let stored = initial;
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
    takeToken: async () => ({ taken: true, waitMs: 0 }),
    lease: () => ({
      acquire: async () => null,
      markPolled: async () => {},
      recordFailures: async () => {},
      release: async () => {},
    }),
  };
  return {
    bus,
    setState(next: BusState) {
      state = next;
    },
    setStored(next: StoredBoard | null) {
      stored = next;
    },
  };
}

const snapshotMessage = (version: number, ids = ['1']): BusMessage => ({
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
    nowPlaying: ids.map((id) => makeMovie(id)),
    upcoming: [],
  }),
});

/** The update from `version - 1` to `version` that adds movie `version`. */
const updateMessage = (version: number): BusMessage => ({
  city: 'beijing',
  name: 'update',
  version,
  previous: version - 1,
  data: JSON.stringify({
    city: 'beijing',
    version,
    fetchedAt: '2026-11-25T10:00:00.000Z',
    added: [makeMovie(String(version))],
    updated: [],
    removed: [],
  }),
});

// The store at 105: a snapshot at 100 (movie 1), then an update per version adding its movie.
const boardAt105 = ['105', '104', '103', '102', '101', '1'];
const storedWith = (history: BusMessage[]): StoredBoard => ({
  snapshot: snapshotMessage(105, boardAt105).data,
  status: null,
  history,
});
const withGap = [snapshotMessage(100), ...[101, 102, 104, 105].map(updateMessage)];
const withBadEntry = [
  snapshotMessage(100),
  updateMessage(101),
  updateMessage(102),
  // Passes the envelope, fails the update's schema.
  { ...updateMessage(103), data: JSON.stringify({ city: 'beijing', version: 103, added: 'x' }) },
  updateMessage(104),
  updateMessage(105),
];
const ids = (board: { snapshot: () => { nowPlaying: Array<{ id: string }> } }) =>
  board.snapshot().nowPlaying.map((movie) => movie.id);

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
  it.each([
    ['a gap', withGap],
    ['an entry that fails validation', withBadEntry],
  ])(
    'cuts a stored history at %s: a client from before it gets a snapshot, one after it a replay',
    async (_, history) => {
      const board = createBoard(createClusterBus(storedWith(history)).bus);
      await board.ready;
      expect(board.snapshot().version).toBe(105);
      expect(ids(board)).toEqual(boardAt105);
      for (const before of [100, 101, 102])
        expect(board.board.replayAfter(before), String(before)).toBeNull();
      expect(board.board.replayAfter(103)?.map((message) => message.version)).toEqual([104, 105]);
      expect(board.board.replayAfter(104)?.map((message) => message.version)).toEqual([105]);
      expect(board.board.replayAfter(105)).toEqual([]);
    },
  );

  it.each([
    ['a gap', withGap],
    ['an entry that fails validation', withBadEntry],
  ])('catches up over %s by taking the snapshot, not by replaying across it', async (_, history) => {
    const cluster = createClusterBus({
      snapshot: snapshotMessage(101, ['101', '1']).data,
      status: null,
      history: [snapshotMessage(100), updateMessage(101)],
    });
    const board = createBoard(cluster.bus);
    await board.ready;
    expect(board.snapshot().version).toBe(101);
    cluster.setStored(storedWith(history));
    await board.feed.sync.catchUp();
    expect(board.snapshot().version).toBe(105);
    expect(ids(board)).toEqual(boardAt105);
    // Live again: the next update applies on top, and one that skips a version still asks for a catch-up.
    board.receive(updateMessage(106));
    expect(board.snapshot().version).toBe(106);
    cluster.setStored(storedWith(history));
    board.receive(updateMessage(108));
    expect(board.snapshot().version).toBe(106);
  });

  it('replays a history whose chain is whole, and drops one that does not end at the snapshot', async () => {
    const whole = [snapshotMessage(100), ...[101, 102, 103, 104, 105].map(updateMessage)];
    const cluster = createClusterBus({
      snapshot: snapshotMessage(102, ['102', '101', '1']).data,
      status: null,
      history: whole.slice(0, 3),
    });
    const board = createBoard(cluster.bus);
    await board.ready;
    cluster.setStored(storedWith(whole));
    await board.feed.sync.catchUp();
    expect(ids(board)).toEqual(boardAt105);
    expect(board.board.replayAfter(100)?.map((message) => message.version)).toEqual([
      101, 102, 103, 104, 105,
    ]);

    const late = createBoard(createClusterBus(storedWith(whole.slice(0, 5))).bus);
    await late.ready;
    expect(late.snapshot().version).toBe(105);
    expect(late.board.replayAfter(103)).toBeNull();
  });

  it('ignores a stored status that fails validation, and is ready all the same', async () => {
    for (const status of ['not json', JSON.stringify({ city: 'beijing', state: 'on-fire' })]) {
      const board = createBoard(
        createClusterBus({ snapshot: snapshotMessage(5).data, status, history: [] }).bus,
      );
      await board.ready;
      expect(board.snapshot()).toMatchObject({ version: 5, source: 'douban' });
      expect(board.health()).toMatchObject({ state: 'stale', reason: 'not-fetched-yet' });
    }
  });
});
