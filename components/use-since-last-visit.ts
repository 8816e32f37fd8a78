'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BoardSnapshot } from '@/lib/types';
import { compactBoard, findSeenBoard, rememberBoard, type SeenBoard } from './seen-board';
import { listSinceIds, type SinceSummary, summarizeSince } from './summarize-since';
import { seenBoardsStore } from './viewer-stores';

/** The board if it is the city's and from Douban: saved data and an empty board are no look at Douban. */
function liveBoard(board: BoardSnapshot | undefined, city: string): BoardSnapshot | null {
  return board?.city === city && board.source === 'douban' ? board : null;
}

function remember(board: BoardSnapshot) {
  const seen = rememberBoard({
    seen: seenBoardsStore.read(),
    board: compactBoard({ board, at: Date.now() }),
  });
  seenBoardsStore.write(seen);
}

/**
 * "自上次访问以来": what changed on the city's board since the viewer last saw it, in any tab of this
 * browser. What they saw is the board shown while the page is visible: it is recorded on every change
 * while visible and once more when the page is hidden or left, so a tab killed without `pagehide`
 * (mobile browsers do) has recorded it already, and what a hidden tab receives counts as unseen. A
 * look starts when the page loads or becomes visible again: the first live board then is compared with
 * the record before it is recorded itself. An open summary keeps its base, so a second return adds to it.
 */
export function useSinceLastVisit({ city, board }: { city: string; board: BoardSnapshot | undefined }) {
  const [open, setOpen] = useState<{ city: string; summary: SinceSummary } | null>(null);
  const [narrowed, setNarrowed] = useState(false);
  const [visible, setVisible] = useState(false);
  const unseen = useRef(true);
  const base = useRef<SeenBoard | null>(null);
  const shown = useRef(board);
  useEffect(() => {
    shown.current = board;
  });

  useEffect(() => {
    unseen.current = true;
    base.current = null;
    const record = () => {
      const live = liveBoard(shown.current, city);
      if (live && !unseen.current) remember(live);
    };
    const onVisibility = () => {
      const now = document.visibilityState === 'visible';
      if (!now) {
        record();
        unseen.current = true;
      }
      setVisible(now);
    };
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', record);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', record);
    };
  }, [city]);

  useEffect(() => {
    const live = liveBoard(board, city);
    if (!live || !visible) return;
    if (unseen.current) {
      unseen.current = false;
      const then =
        base.current?.city === city ? base.current : findSeenBoard({ seen: seenBoardsStore.read(), city });
      const summary = then ? summarizeSince({ seen: then, board: live }) : null;
      if (then && summary && listSinceIds(summary).size > 0) {
        base.current = then;
        setOpen({ city, summary });
      }
    }
    remember(live);
  }, [board, city, visible]);

  const summary = open?.city === city ? open.summary : null;
  const ids = useMemo(() => (summary ? listSinceIds(summary) : null), [summary]);
  const dismiss = useCallback(() => {
    base.current = null;
    setOpen(null);
    setNarrowed(false);
  }, []);
  return {
    summary,
    /** Whether the board shows only the summary's films. */
    narrowed: narrowed && ids !== null,
    /** The ids the board is narrowed to, or null: all. */
    only: narrowed ? ids : null,
    setNarrowed,
    dismiss,
  };
}
