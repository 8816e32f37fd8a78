'use client';

import { useEffect, useRef } from 'react';
import { boardSnapshotSchema, boardUpdateSchema } from '@/lib/schema/board';
import type { Movie } from '@/lib/types';
import { shareCityStream } from './share-city-stream';

function readData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

/** An event's time: when Douban's page was fetched, else when it reached us. */
function timeOf(fetchedAt: string | null): number {
  const at = fetchedAt ? Date.parse(fetchedAt) : Number.NaN;
  return Number.isNaN(at) ? Date.now() : at;
}

/**
 * Follows one film on its city's board stream (`/api/movies/stream`), resuming from the version the
 * server rendered, so only what changed since arrives. `onMovie` gets the film whenever an event
 * carries it (an update that changed it, a snapshot that lists it) with the time of Douban's fetch;
 * `onGone` when the film leaves the city's lists. Events are checked with the server's schemas; the
 * rest of the board is not kept. As on the board, an answer other than 200 closes the EventSource
 * for good, so we reopen it ourselves with backoff; and the stream is shared with the browser's other
 * tabs on the city (shareCityStream), board or film page.
 */
export function useFilmStream({
  city,
  id,
  version,
  onMovie,
  onGone,
}: {
  city: string;
  id: string;
  version: number | null;
  onMovie: (movie: Movie, at: number) => void;
  onGone: (at: number) => void;
}): void {
  const latest = useRef({ onMovie, onGone, version });
  useEffect(() => {
    latest.current = { ...latest.current, onMovie, onGone };
  });

  useEffect(() => {
    let seen = latest.current.version;

    const onSnapshot = (data: string) => {
      const parsed = boardSnapshotSchema.safeParse(readData(data));
      if (!parsed.success || parsed.data.city !== city) return;
      const board = parsed.data;
      seen = board.version;
      const movie = [...board.nowPlaying, ...board.upcoming].find((candidate) => candidate.id === id);
      if (movie) latest.current.onMovie(movie, timeOf(board.fetchedAt));
      else latest.current.onGone(timeOf(board.fetchedAt));
    };
    const onUpdate = (data: string) => {
      const parsed = boardUpdateSchema.safeParse(readData(data));
      if (!parsed.success || parsed.data.city !== city) return;
      const update = parsed.data;
      if (seen !== null && update.version <= seen) return;
      seen = update.version;
      const movie = [...update.added, ...update.updated].find((candidate) => candidate.id === id);
      if (movie) latest.current.onMovie(movie, timeOf(update.fetchedAt));
      else if (update.removed.includes(id)) latest.current.onGone(timeOf(update.fetchedAt));
    };

    return shareCityStream({
      city,
      lastEventId: () => seen,
      listeners: { snapshot: onSnapshot, update: onUpdate },
    });
  }, [city, id]);
}
