'use client';

import { useCallback, useEffect, useState } from 'react';
import { type Change, createChangeCoalescer } from './create-change-coalescer';

/** Changes this close together are told as one sentence (a reconnection's replay, a burst of polls). */
const COALESCE_MS = 1_000;

/** The sentence to announce; `seq` grows with each, so the same words twice are announced twice. */
export interface Announcement {
  text: string;
  seq: number;
}

/**
 * What a live region (ChangeAnnouncer) says: one sentence per batch of changes, phrased by `phrase`
 * from the state before the batch and after it (`null`: nothing to say). `note` the changes that
 * updates made; `clear` when a snapshot replaces what is on screen, which is never told. `phrase` is
 * read once, at the first render.
 */
export function useCoalescedAnnouncement<T>(phrase: (change: Change<T>) => string | null) {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const [coalescer] = useState(() =>
    createChangeCoalescer<T>({
      windowMs: COALESCE_MS,
      onFlush: (change) => {
        const text = phrase(change);
        if (text) setAnnouncement((last) => ({ text, seq: (last?.seq ?? 0) + 1 }));
      },
    }),
  );
  useEffect(() => () => coalescer.cancel(), [coalescer]);

  const note = useCallback((change: Change<T>) => coalescer.note(change), [coalescer]);
  const clear = useCallback(() => {
    coalescer.cancel();
    setAnnouncement(null);
  }, [coalescer]);

  return { announcement, note, clear };
}
