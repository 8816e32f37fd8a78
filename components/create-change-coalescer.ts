/** A change from one state to another: two boards of a city, or two sightings of one film. */
export interface Change<T> {
  before: T;
  after: T;
}

export interface ChangeCoalescer<T> {
  /** The state changed from `before` to `after`. */
  note(change: Change<T>): void;
  /** Forgets the changes not yet flushed (the state on screen was replaced). */
  cancel(): void;
}

/**
 * Gathers the changes that arrive within `windowMs` of the first one into one: `onFlush` gets the
 * state before the first and after the last. A reconnection replays the updates it missed in a few
 * milliseconds; a screen reader should hear them as one sentence, not one each. The window starts at
 * the first change, so a steady stream of updates still flushes every `windowMs`.
 */
export function createChangeCoalescer<T>({
  windowMs,
  onFlush,
}: {
  windowMs: number;
  onFlush: (change: Change<T>) => void;
}): ChangeCoalescer<T> {
  let pending: Change<T> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    timer = null;
    const change = pending;
    pending = null;
    if (change) onFlush(change);
  };

  return {
    note({ before, after }) {
      // `pending` is checked, not `pending.before`: a film's state before may itself be null.
      pending = { before: pending ? pending.before : before, after };
      timer ??= setTimeout(flush, windowMs);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
