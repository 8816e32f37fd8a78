import type { BoardEventName } from '@/lib/types';

/** One event of one city's board, encoded once and shared by every stream of that city. */
export interface BoardMessage {
  city: string;
  name: BoardEventName;
  /** The SSE id; `null` for events that do not change the board (status). */
  version: number | null;
  /** The version this event follows (updates only): what a resuming client must hold to apply it. */
  previous: number | null;
  /** The whole SSE block, ready to enqueue. */
  chunk: Uint8Array;
}

/**
 * How board events travel from the board that made them to the streams that send them. The default
 * is in memory, within one process; the same interface can carry them between instances.
 */
export interface Bus {
  publish(message: BoardMessage): void;
  /** Listens to one city's events; returns the function that stops listening. */
  subscribe(city: string, listener: (message: BoardMessage) => void): () => void;
}
