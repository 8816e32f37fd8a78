import 'server-only';
import type { Bus, BusMessage, BusState, StoredBoard } from '@/lib/bus/bus';
import { cutHistory } from '@/lib/bus/cut-history';
import { logEvent } from '@/lib/log';
import type { CityBoard } from './city-board';

/** Keeps one city's board in step with the cluster's shared store (Redis); trivial in memory mode. */
export interface BoardSync {
  /** Resolves once the board holds what the shared store has (at once in memory mode). */
  readonly ready: Promise<void>;
  /** Every event of the city from the bus (this instance's own included). */
  receive(message: BusMessage): void;
  /**
   * Brings the board up to what the shared store holds: the events after our version when the
   * store's history has them all, else the stored snapshot. A store that cannot be read leaves the
   * board as it is. Concurrent calls share one load.
   */
  catchUp(): Promise<void>;
  /** The shared store dropped or returned: the board says so, and catches up when it is back. */
  onBusState(state: BusState): Promise<void>;
  /** Whether the store came back without our board and the next poll must write it again; clears it. */
  takeReseed(): boolean;
}

export function createBoardSync({ board, bus }: { board: CityBoard; bus: Bus }): BoardSync {
  const { city } = board;
  // Until the stored board is loaded, events wait, so none is applied to the wrong version.
  let queued: BusMessage[] | null = null;
  let loading: Promise<void> | null = null;
  let reseed = false;

  const receive = (message: BusMessage) => {
    if (queued) queued.push(message);
    else if (board.apply(message) === 'gap') void catchUp();
  };

  const adopt = (stored: StoredBoard) => {
    if (stored.status) receive({ city, name: 'status', version: null, previous: null, data: stored.status });
    if (!stored.snapshot) return;
    let version: unknown;
    try {
      version = (JSON.parse(stored.snapshot) as { version?: unknown }).version;
    } catch {
      // Checked below with the rest of the payload.
    }
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version <= 0) {
      logEvent('warn', 'bad-bus-message', {
        city,
        why: 'stored snapshot without a version',
        from: 'snapshot',
      });
      return;
    }
    const current = board.view();
    if (version === current.version) return;
    // Only an unbroken run that ends at the snapshot is replayed, to us or to a resuming client.
    const history = cutHistory({ history: stored.history, version });
    if (history.length < stored.history.length && stored.history.length > 0)
      logEvent('warn', 'history-cut', {
        city,
        kept: history.length,
        dropped: stored.history.length - history.length,
      });
    const start = history.findIndex((message) => message.previous === current.version);
    if (version > current.version && start !== -1) {
      for (const message of history.slice(start)) receive(message);
      if (board.view().version === version) return;
    }
    // A store that lost its data (restarted without persistence) must not move a shared board back;
    // our start-up board (numbered by our clock) gives way to the cluster's at once.
    if (version < current.version && current.shared) return;
    board.replace({ city, name: 'snapshot', version, previous: null, data: stored.snapshot }, history);
  };

  const load = async () => {
    // Events that arrive while we read the store wait, and apply on top of what we read.
    queued ??= [];
    let stored: StoredBoard | null = null;
    try {
      stored = await bus.load(city);
    } catch (error) {
      logEvent('warn', 'catch-up-failed', { city, error: String(error) });
    }
    const waiting = queued ?? [];
    queued = null;
    try {
      if (stored) adopt(stored);
    } catch (error) {
      // `ready` must resolve whatever the store holds: the board then serves what it has.
      logEvent('error', 'catch-up-crashed', { city, error: String(error) });
    }
    if (stored && !stored.snapshot && board.view().shared) reseed = true;
    // Loaded from a store that answers: not degraded, also for a stream opened before onBusState runs.
    if (stored && bus.state() === 'ready') board.setDegraded(null);
    for (const message of waiting) receive(message);
  };

  const catchUp = (): Promise<void> => {
    loading ??= load().finally(() => {
      loading = null;
    });
    return loading;
  };

  if (bus.state() === 'down') board.setDegraded(new Date().toISOString());
  const ready = bus.mode === 'memory' ? Promise.resolve() : catchUp();

  return {
    ready,
    receive,
    catchUp,
    async onBusState(state) {
      if (state === 'down') {
        board.setDegraded(new Date().toISOString());
        return;
      }
      await catchUp();
      // Redis may have dropped again while we caught up.
      if (bus.state() === 'ready') board.setDegraded(null);
    },
    takeReseed() {
      const was = reseed;
      reseed = false;
      return was;
    },
  };
}
