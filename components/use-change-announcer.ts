'use client';

import { useCallback } from 'react';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { applyUpdate } from './apply-update';
import type { Change } from './create-change-coalescer';
import { phraseChanges } from './phrase-changes';
import { summarizeChanges } from './summarize-changes';
import { useCoalescedAnnouncement } from './use-coalesced-announcement';

const phraseBoardChange = (change: Change<BoardSnapshot>) => phraseChanges(summarizeChanges(change));

/**
 * What the board's live region says: one sentence per batch of updates, never per card. Only updates
 * are told; the first snapshot, and any snapshot that replaces the board, are not (`clearAnnouncement`).
 */
export function useChangeAnnouncer() {
  const { announcement, note, clear } = useCoalescedAnnouncement(phraseBoardChange);
  const noteChanges = useCallback(
    (before: BoardSnapshot, update: BoardUpdate) => note({ before, after: applyUpdate(before, update) }),
    [note],
  );
  return { announcement, noteChanges, clearAnnouncement: clear };
}
