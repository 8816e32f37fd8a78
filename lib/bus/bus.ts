import type { BoardEventName } from '@/lib/types';

/**
 * One event of one city's board as it travels between instances: the SSE event name, its id
 * (`version`; null for status events, which do not change the board), the version it follows
 * (updates: what a board must hold to apply it), and its JSON payload, exactly as sent to browsers.
 */
export interface BusMessage {
  city: string;
  name: BoardEventName;
  version: number | null;
  previous: number | null;
  data: string;
}

/** A city's board as the shared store holds it, for an instance that joins or catches up. */
export interface StoredBoard {
  /** The current snapshot's JSON, null if no instance has published one yet. */
  snapshot: string | null;
  /** The current upstream status's JSON. */
  status: string | null;
  /** The latest versioned events, oldest first. */
  history: BusMessage[];
}

/** `disabled`: in-memory mode, nothing shared. `ready`/`down`: the shared store's connection. */
export type BusState = 'disabled' | 'ready' | 'down';

/** What the holder of a city's lease knows of the cluster's polls of it. */
export interface HeldLease {
  lastPolledAt: number | null;
  failures: number;
}

/** One take from a budget the cluster shares (see `Bus.takeToken`). */
export interface TokenRequest {
  /** The budget's name; its rate and burst are the same wherever it is taken from. */
  name: string;
  perSecond: number;
  burst: number;
  /** Take only when at least this many tokens are there (1: whenever one is). */
  threshold: number;
}

/**
 * The right to poll one city, held by one instance of the cluster at a time (a Redis lease). The
 * in-memory bus has none: the single process always polls.
 */
export interface Lease {
  /**
   * Takes the lease if it is free or renews it if this instance holds it. Resolves the time of the
   * cluster's last poll of the city and how many polls in a row failed (the backoff a successor
   * continues) when it is held, `null` when another instance holds it; rejects when the store cannot
   * be reached (which counts as not holding it).
   */
  acquire(): Promise<HeldLease | null>;
  /** Records that the holder polls now, so a successor keeps the interval. */
  markPolled(at: number): Promise<void>;
  /** Records how many polls in a row failed (0 after a success), if this instance holds the lease. */
  recordFailures(count: number): Promise<void>;
  /** Gives the lease up (only if this instance holds it). */
  release(): Promise<void>;
}

/**
 * How board events travel from the instance that polls a city to every stream of that city, and
 * where the shared parts of a board live. In memory (the default) this is one process; with Redis
 * it is the cluster. `lib/board` and `lib/sse` use only this interface.
 */
export interface Bus {
  readonly mode: 'memory' | 'redis';
  /** This instance's id in the cluster (logs, health, lease holder). */
  readonly instance: string;
  state(): BusState;
  /** Called with the new state whenever the connection to the shared store drops or returns. */
  onState(listener: (state: BusState) => void): void;
  /** Every city's events, from this instance and the others; one subscription per process. */
  subscribe(listener: (message: BusMessage) => void): () => void;
  /**
   * Stores the event as the city's latest state (with `snapshot`, the board's JSON after it) and
   * sends it to every instance. Resolves false when this instance may no longer publish for the
   * city (it lost the lease), so the poll's result is dropped rather than forked.
   */
  publish(message: BusMessage, snapshot: string | null): Promise<boolean>;
  /** The version after `previous`: one sequence per city for the whole cluster, never below the clock. */
  nextVersion(city: string, previous: number): Promise<number>;
  /** The city's board as stored, or null in memory mode (there is nothing to load). */
  load(city: string): Promise<StoredBoard | null>;
  lease(city: string): Lease | null;
  /**
   * Takes one token of a token bucket shared by every instance (in memory: this process's), if at
   * least `threshold` are there. Resolves whether it was taken, and if not, in how many milliseconds
   * the threshold will be there; rejects when the store cannot be reached.
   */
  takeToken(request: TokenRequest): Promise<{ taken: boolean; waitMs: number }>;
}
