import 'server-only';
import type { BusMessage } from './bus';
import { BadBusMessage, parsePayload } from './parse-bus-message';

/**
 * The part of a stored history that can be replayed: the longest run of valid entries that ends at
 * the stored snapshot's `version`, each following the one before it (an update's `previous` is the
 * version before; a snapshot stands on its own). A store can hold a broken chain (an entry that
 * fails validation and was skipped, a gap, garbage written by hand): replaying over the break would
 * build a wrong board, so the history is cut at its last break and anyone before it gets a snapshot.
 * Empty when the history does not end at `version`.
 */
export function cutHistory({
  history,
  version,
}: {
  history: readonly BusMessage[];
  version: number;
}): BusMessage[] {
  let start = history.length;
  let next: BusMessage | null = null;
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const entry = history[i] as BusMessage;
    if (!isVersioned(entry)) break;
    if (next === null ? entry.version !== version : !follows(next, entry)) break;
    start = i;
    next = entry;
  }
  return history.slice(start);
}

/** Whether `next` can be applied to a board that holds `entry`. */
function follows(next: BusMessage, entry: BusMessage): boolean {
  if ((next.version as number) <= (entry.version as number)) return false;
  return next.name === 'snapshot' || next.previous === entry.version;
}

/** A snapshot or an update whose payload passes its schema (status events have no place here). */
function isVersioned(entry: BusMessage): boolean {
  if (entry.name === 'status' || entry.version === null) return false;
  try {
    parsePayload(entry);
    return true;
  } catch (error) {
    if (error instanceof BadBusMessage) return false;
    throw error;
  }
}
