'use client';

import { useEffect, useRef, useState } from 'react';
import { useSWRConfig } from 'swr';
import type * as z from 'zod/mini';
import { boardSnapshotSchema, boardStatusSchema, boardUpdateSchema } from '@/lib/schema/board';
import type { BoardSnapshot, BoardStatus, BoardUpdate } from '@/lib/types';
import { applyUpdate } from './apply-update';

import { boardKey } from './board-key';
import type { ConnectionState } from './relay-message';
import { shareCityStream } from './share-city-stream';

export type { ConnectionState } from './relay-message';

/**
 * An event's data checked with the schema the server's own boundaries use (lib/schema/board.ts), and
 * for this city; `null` (the event is ignored) when it does not fit.
 */
function parse<T extends { city: string }>({
  schema,
  data,
  city,
}: {
  schema: z.ZodMiniType<T>;
  data: string;
  city: string;
}): T | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success && parsed.data.city === city ? parsed.data : null;
}

/**
 * Subscribes to `/api/movies/stream` for one city and applies its events to the SWR key the server
 * page seeded. It resumes from the version on screen (`lastEventId`), so after the server render
 * only what changed since is sent. The browser retries by itself after a dropped connection, but an
 * answer other than 200 (429, 503…) closes the EventSource for good: then we reopen it ourselves.
 * See https://html.spec.whatwg.org/multipage/server-sent-events.html#sse-processing-model
 * The stream is shared with the browser's other tabs on the city (shareCityStream); this board
 * catches up a tab that joins too far behind for the events the tabs keep. `snapshots` counts the
 * `snapshot` events that replaced the board since the page loaded (a resume without a gap sends none).
 */
export function useBoardStream({
  city,
  board,
  onUpdate,
  onReset,
}: {
  city: string;
  /** The board on screen (SWR data, which falls back to the server snapshot). */
  board: BoardSnapshot | undefined;
  /** Called after an update was applied, with the board it was applied to. */
  onUpdate: (before: BoardSnapshot, update: BoardUpdate) => void;
  /** Called when the board on screen is replaced: another city, or a `snapshot` event. */
  onReset: () => void;
}): { connection: ConnectionState; status: BoardStatus | null; snapshots: number } {
  const { mutate } = useSWRConfig();
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [status, setStatus] = useState<BoardStatus | null>(null);
  const [snapshots, setSnapshots] = useState(0);
  const latest = useRef({ board, onUpdate, onReset });
  useEffect(() => {
    latest.current = { board, onUpdate, onReset };
  });

  useEffect(() => {
    const key = boardKey(city);
    const shown = latest.current.board;
    let version = shown?.city === city ? shown.version : null;
    // The board as last set here, for a tab that joins too far behind (serialised only then).
    let held = shown?.city === city ? shown : undefined;
    setConnection('connecting');
    setStatus(null);
    latest.current.onReset();

    // SWR hands an updater the cached value only; until the first mutate the board is the fallback.
    const current = (cached: BoardSnapshot | undefined) => cached ?? latest.current.board;

    const onSnapshotEvent = (data: string) => {
      const snapshot = parse({ schema: boardSnapshotSchema, data, city });
      if (!snapshot) return;
      version = snapshot.version;
      held = snapshot;
      setSnapshots((count) => count + 1);
      latest.current.onReset();
      void mutate(key, snapshot, { revalidate: false });
    };
    const onUpdateEvent = async (data: string) => {
      const update = parse({ schema: boardUpdateSchema, data, city });
      if (!update) return;
      let before: BoardSnapshot | undefined;
      await mutate<BoardSnapshot>(
        key,
        (cached) => {
          const board = current(cached);
          if (!board || update.version <= board.version) return board;
          before = board;
          held = applyUpdate(board, update);
          return held;
        },
        { revalidate: false },
      );
      if (!before) return;
      version = update.version;
      latest.current.onUpdate(before, update);
    };
    const onStatusEvent = (data: string) => {
      const next = parse({ schema: boardStatusSchema, data, city });
      if (next) setStatus(next);
    };

    return shareCityStream({
      city,
      lastEventId: () => version,
      listeners: { snapshot: onSnapshotEvent, update: onUpdateEvent, status: onStatusEvent },
      onConnection: setConnection,
      readBoard: () =>
        held ? { name: 'snapshot', data: JSON.stringify(held), version: held.version } : null,
    });
  }, [city, mutate]);

  return { connection, status, snapshots };
}
