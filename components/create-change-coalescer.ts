import type { BoardSnapshot } from '@/lib/types';

export interface ChangeCoalescer {
  /** A board changed from `before` to `after`. */
  note(change: { before: BoardSnapshot; after: BoardSnapshot }): void;
  /** Forgets the changes not yet flushed (the board on screen was replaced). */
  cancel(): void;
}

/**
 * Gathers the changes that arrive within `windowMs` of the first one into one: `onFlush` gets the
 * board before the first and after the last. A reconnection replays the updates it missed in a few
 * milliseconds; a screen reader should hear them as one sentence, not one each. The window starts at
 * the first change, so a steady stream of updates still flushes every `windowMs`.
 */
export function createChangeCoalescer({
  windowMs,
  onFlush,
}: {
  windowMs: number;
  onFlush: (change: { before: BoardSnapshot; after: BoardSnapshot }) => void;
}): ChangeCoalescer {
  let pending: { before: BoardSnapshot; after: BoardSnapshot } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    timer = null;
    const change = pending;
    pending = null;
    if (change) onFlush(change);
  };

  return {
    note({ before, after }) {
      pending = { before: pending?.before ?? before, after };
      timer ??= setTimeout(flush, windowMs);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
