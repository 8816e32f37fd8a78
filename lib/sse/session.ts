import 'server-only';
import type { StreamTicket } from './create-stream-admission';

/** Why a stream ended; counted and logged by whoever owns the session. */
export type CloseReason =
  | 'aborted'
  | 'cancelled'
  | 'write-failed'
  | 'slow-client'
  | 'max-duration'
  | 'shutdown';

/**
 * What carries one client's bytes: a web `ReadableStream` a route handler returns
 * (`WebStreamConnection`) or a Node response written directly (`NodeResponseConnection`). It knows
 * its runtime and nothing of queues or limits, which `Session` keeps once for both.
 */
export interface Connection {
  /** Bytes handed to the connection that the client has not taken yet. */
  readonly buffered: number;
  /** The client has gone (or the runtime ended the connection): nothing more can reach it. */
  readonly gone: boolean;
  /** Called once, when the session begins: the connection reports its end through `session.close`. */
  bind(session: Session): void;
  write(chunk: Uint8Array): void;
  /** Ends the connection: cleanly, or at once without the queued bytes for a slow client. */
  end(reason: CloseReason): void;
}

/** What every stream of an owner shares: one object for all of them, not a copy per stream. */
export interface SessionPolicy {
  /** Bytes that may wait unsent for this client before it is dropped as too slow. */
  maxQueueBytes: number;
  /** Events that may wait unsent (written while the client never caught up) before the same. */
  maxQueueEvents: number;
  /** Runs exactly once per session, however it ends. */
  onClose: (session: Session, reason: CloseReason) => void;
}

/**
 * One client's open event stream, whatever carries it. A client that falls behind by more than
 * `maxQueueBytes` or `maxQueueEvents` is dropped (it resumes by Last-Event-ID). The greeting (a replay
 * can be up to HISTORY_LIMIT events) is not held against the bound: only what is written after it
 * counts, so a client that resumes after a long gap is not dropped for its own replay. Every way a
 * stream ends (client gone, a failed write, a slow reader, the server) goes through `close()`, which
 * is safe to call any number of times and runs the cleanup once. A class, not closures: an open
 * stream costs this object and its connection.
 */
export class Session {
  readonly openedAt = Date.now();
  closed = false;
  private connection: Connection | null;
  private policy: SessionPolicy | null;
  /** The stream's place under the limits, given back when it ends (before `onClose`). */
  private ticket: StreamTicket | null;
  /** Chunks written since the client last caught up with everything but the greeting. */
  private unread = 0;
  /** Bytes of the greeting that may still wait: all of it at first, then never more than waits at all. */
  private greeting: number;

  /** `greeting`: the chunks sent first (retry, snapshot or replay, status), in order. */
  constructor({
    connection,
    greeting,
    ticket,
    policy,
  }: {
    connection: Connection;
    greeting: readonly Uint8Array[];
    ticket: StreamTicket | null;
    policy: SessionPolicy;
  }) {
    this.connection = connection;
    this.policy = policy;
    this.ticket = ticket;
    connection.bind(this);
    for (const chunk of greeting) connection.write(chunk);
    this.greeting = connection.buffered;
    if (connection.gone) this.close('aborted');
  }

  /** Sends a pre-encoded chunk; a client that has left or fallen too far behind is closed instead. */
  write(chunk: Uint8Array): void {
    const { connection, policy } = this;
    if (!connection || !policy) return;
    if (connection.gone) {
      this.close('write-failed');
      return;
    }
    const waiting = connection.buffered;
    this.greeting = Math.min(this.greeting, waiting);
    const backlog = waiting - this.greeting;
    this.unread = backlog === 0 ? 0 : this.unread + 1;
    if (backlog > policy.maxQueueBytes || this.unread > policy.maxQueueEvents) {
      this.close('slow-client');
      return;
    }
    try {
      connection.write(chunk);
    } catch {
      this.close('write-failed');
    }
  }

  close(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    const { connection, policy, ticket } = this;
    this.connection = null;
    this.policy = null;
    this.ticket = null;
    ticket?.release();
    connection?.end(reason);
    policy?.onClose(this, reason);
  }
}
