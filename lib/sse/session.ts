import type { StreamTicket } from './admit-stream';

/** Why a stream ended; counted and logged by whoever owns the session. */
export type CloseReason =
  | 'aborted'
  | 'cancelled'
  | 'write-failed'
  | 'slow-client'
  | 'max-duration'
  | 'shutdown';

/**
 * One client's open event stream, whatever carries it: a web `ReadableStream` returned by a route
 * handler (`WebStreamSession`) or a Node response written directly (`NodeResponseSession`). Every
 * way a stream can end goes through `close()`, which runs its owner's cleanup exactly once.
 */
export interface Session {
  readonly openedAt: number;
  readonly closed: boolean;
  /** Sends a pre-encoded chunk; a client that has left or fallen too far behind is closed instead. */
  write(chunk: Uint8Array): void;
  close(reason: CloseReason): void;
}

export interface SessionOptions {
  /** Chunks to send first (retry, snapshot or replay, status), in order. */
  initial: readonly Uint8Array[];
  /** Bytes that may wait unsent for this client before it is dropped as too slow. */
  maxQueueBytes: number;
  /** Events that may wait unsent (written while the socket never drained) before the same. */
  maxQueueEvents: number;
  /** The stream's place under the limits, given back when it ends (before `onClose`). */
  ticket: StreamTicket | null;
  /** Runs exactly once, however the session ends. */
  onClose: (session: Session, reason: CloseReason) => void;
}
