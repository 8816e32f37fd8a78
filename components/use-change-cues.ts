'use client';

import { useCallback, useEffect, useState } from 'react';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { type Cue, describeChanges, type Leaving } from './describe-changes';

/** How long a card keeps its ↑/↓/新 mark; the highlight itself is a ~3 s CSS animation. */
const CUE_TTL_MS = 30_000;
/** Matches the fade-out animation in globals.css. */
const LEAVE_MS = 600;

interface Timed<T> {
  value: T;
  until: number;
}

type Store<T> = ReadonlyMap<string, Timed<T>>;

/** Merges new entries into a map, keeping the objects of untouched entries (memoized cards). */
function merge<T>(store: Store<T>, entries: Map<string, T>, ttl: number): Store<T> {
  if (entries.size === 0) return store;
  const next = new Map(store);
  const until = Date.now() + ttl;
  for (const [id, value] of entries) next.set(id, { value, until });
  return next;
}

function prune<T>(store: Store<T>, now: number): Store<T> {
  const next = new Map([...store].filter(([, entry]) => entry.until > now));
  return next.size === store.size ? store : next;
}

/** Runs `prune` when the first entry of a store expires. */
function useExpiry<T>(store: Store<T>, setStore: (update: (store: Store<T>) => Store<T>) => void) {
  useEffect(() => {
    if (store.size === 0) return;
    const first = Math.min(...[...store.values()].map((entry) => entry.until));
    const timer = setTimeout(() => setStore((current) => prune(current, Date.now())), first - Date.now());
    return () => clearTimeout(timer);
  }, [store, setStore]);
}

/**
 * The change cues of the cards: score ↑/↓ and 新 for a while after an update, and removed movies
 * kept on screen while they fade out. Only updates make cues; a snapshot clears them.
 */
export function useChangeCues() {
  const [cueStore, setCueStore] = useState<Store<Cue>>(() => new Map());
  const [leavingStore, setLeavingStore] = useState<Store<Leaving>>(() => new Map());
  useExpiry(cueStore, setCueStore);
  useExpiry(leavingStore, setLeavingStore);

  const noteUpdate = useCallback((before: BoardSnapshot, update: BoardUpdate) => {
    const { cues, leaving } = describeChanges(before, update);
    const back = new Set([...update.added, ...update.updated].map((movie) => movie.id));
    setCueStore((store) => {
      const next = merge(store, cues, CUE_TTL_MS);
      const gone = update.removed.filter((id) => next.has(id));
      if (gone.length === 0) return next;
      const kept = new Map(next);
      for (const id of gone) kept.delete(id);
      return kept;
    });
    setLeavingStore((store) => {
      const next = merge(store, leaving, LEAVE_MS);
      if (![...back].some((id) => next.has(id))) return next;
      return new Map([...next].filter(([id]) => !back.has(id)));
    });
  }, []);

  const clearCues = useCallback(() => {
    setCueStore((store) => (store.size === 0 ? store : new Map()));
    setLeavingStore((store) => (store.size === 0 ? store : new Map()));
  }, []);

  return { cueStore, leavingStore, noteUpdate, clearCues };
}

export type { Store, Timed };
