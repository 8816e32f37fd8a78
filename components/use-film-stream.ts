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

/** One sighting of the film in an event of its city's stream. */
export interface FilmSighting {
  /** The film as the city lists it; `null` when it is on none of the city's lists. */
  movie: Movie | null;
  /** When Douban's page was fetched (ms), else when the event reached us. */
  at: number;
  /**
   * `update`: the film changed since the last event. `snapshot`: the board was sent whole (no
   * version to resume from, or too old a one after a reconnection), showing the film as it is now.
   */
  via: 'update' | 'snapshot';
}

/**
 * Follows one film on its city's board stream (`/api/movies/stream`), resuming from the version the
 * server rendered, so only what changed since arrives. `onFilm` gets the film whenever an event
 * carries it: an update that changed it or took it off the city's lists, a snapshot (listing it or
 * not). Events are checked with the server's schemas; the rest of the board is not kept. As on the
 * board, an answer other than 200 closes the EventSource for good, so we reopen it ourselves with
 * backoff; and the stream is shared with the browser's other tabs on the city (shareCityStream),
 * board or film page.
 */
export function useFilmStream({
  city,
  id,
  version,
  onFilm,
}: {
  city: string;
  id: string;
  version: number | null;
  onFilm: (sighting: FilmSighting) => void;
}): void {
  const latest = useRef({ onFilm, version });
  useEffect(() => {
    latest.current = { ...latest.current, onFilm };
  });

  useEffect(() => {
    let seen = latest.current.version;

    const onSnapshot = (data: string) => {
      const parsed = boardSnapshotSchema.safeParse(readData(data));
      if (!parsed.success || parsed.data.city !== city) return;
      const board = parsed.data;
      seen = board.version;
      const movie = [...board.nowPlaying, ...board.upcoming].find((candidate) => candidate.id === id);
      latest.current.onFilm({ movie: movie ?? null, at: timeOf(board.fetchedAt), via: 'snapshot' });
    };
    const onUpdate = (data: string) => {
      const parsed = boardUpdateSchema.safeParse(readData(data));
      if (!parsed.success || parsed.data.city !== city) return;
      const update = parsed.data;
      if (seen !== null && update.version <= seen) return;
      seen = update.version;
      const movie = [...update.added, ...update.updated].find((candidate) => candidate.id === id);
      if (movie || update.removed.includes(id)) {
        latest.current.onFilm({ movie: movie ?? null, at: timeOf(update.fetchedAt), via: 'update' });
      }
    };

    return shareCityStream({
      city,
      lastEventId: () => seen,
      listeners: { snapshot: onSnapshot, update: onUpdate },
    });
  }, [city, id]);
}
