// The messages between `bench/run.ts` and the load process (`bench/load.ts`), over the fork's IPC channel.

/** Parent → load process. */
export type LoadCommand =
  /** Open `n` SSE clients to `url`, `rate` new connections per second (0: all at once). */
  | { type: 'open'; url: string; n: number; rate: number }
  /**
   * From now on, an `update` event whose first bytes contain every needle counts as update `index`.
   * Sent before the upstream change, so it always arrives before the update it describes.
   */
  | { type: 'expect'; index: number; needles: string[] }
  | { type: 'progress' }
  | { type: 'report' }
  /** Destroy every socket (the clients leave, as a closed browser tab does). */
  | { type: 'close' };

export interface LoadProgress {
  type: 'progress';
  opened: number;
  connected: number;
  snapshots: number;
  /** Clients that failed: refused, reset, a non-200 answer, or a stream the server ended. */
  failed: number;
  /** Per expected update index, how many clients have it. */
  updates: number[];
  /** The first few failures. */
  errors: string[];
}

export interface ClientTimes {
  /** ms since the epoch (performance.timeOrigin + performance.now()), NaN when it did not happen. */
  requested: number[];
  /** Response headers received. */
  connected: number[];
  /** The whole snapshot event received. */
  snapshot: number[];
  /** `updates[index][client]`: the update received. */
  updates: number[][];
}

export interface LoadReport {
  type: 'report';
  n: number;
  times: ClientTimes;
  /** Bytes of the first snapshot block and of each expected update block (first client that got it). */
  snapshotBytes: number;
  updateBytes: number[];
  failed: number;
  /** A few failure messages, for the report. */
  errors: string[];
  /** Update events that matched no expected change (there should be none). */
  unexpectedUpdates: number;
  /** Snapshot events after the first one (there should be none). */
  extraSnapshots: number;
  heartbeats: number;
}

export type LoadMessage = LoadProgress | LoadReport | { type: 'closed' } | { type: 'ready' };
