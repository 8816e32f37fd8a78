'use client';

import { useCallback, useEffect, useState } from 'react';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { applyUpdate } from './apply-update';
import { createChangeCoalescer } from './create-change-coalescer';
import { phraseChanges } from './phrase-changes';
import { summarizeChanges } from './summarize-changes';

/** Updates this close together are told as one sentence (a reconnection's replay, a burst of polls). */
const COALESCE_MS = 1_000;

/** The sentence to announce; `seq` grows with each, so the same words twice are announced twice. */
export interface Announcement {
  text: string;
  seq: number;
}

/**
 * What the board's live region says: one sentence per batch of updates, never per card. Only updates
 * are told; the first snapshot, and any snapshot that replaces the board, are not (`clearAnnouncement`).
 */
export function useChangeAnnouncer() {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const [coalescer] = useState(() =>
    createChangeCoalescer({
      windowMs: COALESCE_MS,
      onFlush: (change) => {
        const text = phraseChanges(summarizeChanges(change));
        if (text) setAnnouncement((last) => ({ text, seq: (last?.seq ?? 0) + 1 }));
      },
    }),
  );
  useEffect(() => () => coalescer.cancel(), [coalescer]);

  const noteChanges = useCallback(
    (before: BoardSnapshot, update: BoardUpdate) =>
      coalescer.note({ before, after: applyUpdate(before, update) }),
    [coalescer],
  );
  const clearAnnouncement = useCallback(() => {
    coalescer.cancel();
    setAnnouncement(null);
  }, [coalescer]);

  return { announcement, noteChanges, clearAnnouncement };
}
