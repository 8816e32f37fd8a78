import type { RelayedEvent } from './relay-message';

/** Updates a tab keeps to catch up the tabs that join later: a few minutes of a busy city. */
const DEFAULT_LIMIT = 200;

export interface EventLog {
  /** The version of the last snapshot or update taken; `null` before any. */
  readonly version: number | null;
  /** The last `status` taken, passed on to a tab that joins. */
  readonly status: RelayedEvent | null;
  /**
   * Takes one event of the stream, in the stream's order. Returns false for an update at or below the
   * version held (already taken: the holder changed, or a catch-up crossed a broadcast), which is
   * then not passed on either; the README's rule for a client.
   */
  take(event: RelayedEvent): boolean;
  /**
   * What brings a tab holding version `from` (`null`: nothing) to this log's version, gaplessly: the
   * updates after `from`, or a snapshot (the last one this log saw while it still holds every update
   * after it, else `readBoard()`, the board the page shows) and the updates after it. `null` when
   * neither can: the log was cut above `from` and there is no board to send.
   */
  catchUp(from: number | null, readBoard?: () => RelayedEvent | null): RelayedEvent[] | null;
}

/**
 * The events one tab saw of its city's stream, whether it holds the stream or follows the tab that
 * does: every tab keeps one, so whichever takes the stream over can answer the tabs that join next.
 * It holds every update after `base` (where the tab started, or its last snapshot) up to `version`,
 * at most `limit` of them (older ones are dropped, and `base` moves up).
 */
export function createEventLog({
  version,
  limit = DEFAULT_LIMIT,
}: {
  version: number | null;
  limit?: number;
}): EventLog {
  let held = version;
  // Every update after `base` is in `updates`; `null`: nothing known to be complete.
  let base = version;
  let updates: RelayedEvent[] = [];
  let snapshot: RelayedEvent | null = null;
  let status: RelayedEvent | null = null;

  return {
    get version() {
      return held;
    },
    get status() {
      return status;
    },
    take(event) {
      if (event.name === 'status') {
        status = event;
        return true;
      }
      if (event.version === null) return false;
      if (event.name === 'snapshot') {
        held = base = event.version;
        updates = [];
        snapshot = event;
        return true;
      }
      if (held !== null && event.version <= held) return false;
      held = event.version;
      updates.push(event);
      if (updates.length > limit) {
        const dropped = updates.splice(0, updates.length - limit);
        base = dropped.at(-1)?.version ?? base;
        // The snapshot no longer leads to the version held: the updates right after it are gone.
        snapshot = null;
      }
      return true;
    },
    catchUp(from, readBoard) {
      // Nothing taken yet: the stream's first event will be a snapshot, which every tab gets.
      if (held === null) return [];
      if (from !== null && from >= held) return [];
      if (base === null) return null;
      if (from !== null && from >= base) return updates.filter((event) => after(event, from));
      // The board is read (and serialised) only here, when a tab is too far behind for the updates.
      const start = snapshot ?? readBoard?.() ?? null;
      if (start?.version == null || start.version < base) return null;
      const since = start.version;
      return [start, ...updates.filter((event) => after(event, since))];
    },
  };
}

function after(event: RelayedEvent, version: number): boolean {
  return event.version !== null && event.version > version;
}
