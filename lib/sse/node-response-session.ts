import 'server-only';
import type { ServerResponse } from 'node:http';
import type { CloseReason, Session, SessionOptions } from './session';
import { streamHeaders } from './stream-headers';

/**
 * One client's event stream written straight to a Node response, for the production server
 * (server/main.ts): no web stream, no pipe, no per-chunk promise between our bytes and the socket,
 * which is what a stream costs most in a route handler. Node buffers what the socket cannot take;
 * past `maxQueueBytes` or `maxQueueEvents` of it the client is dropped as too slow (it resumes by
 * Last-Event-ID). The greeting (a replay can be up to HISTORY_LIMIT events) is not held against the
 * bound: only what is written after it counts, so a client that resumes after a long gap is not
 * dropped for its own replay.
 */
export class NodeResponseSession implements Session {
  readonly openedAt = Date.now();
  closed = false;
  private response: ServerResponse | null;
  private readonly maxQueueBytes: number;
  private readonly maxQueueEvents: number;
  /** Chunks written since the socket last took everything but the greeting. */
  private unread = 0;
  /**
   * Bytes of the greeting that may still wait in Node's buffer: what was buffered when it was
   * written, then never more than what waits at all. What waits beyond it is the client's backlog.
   */
  private greeting: number;
  private onClose: SessionOptions['onClose'] | null;
  private ticket: SessionOptions['ticket'];
  // One bound function per stream: Node's emitters take functions, not listener objects.
  private readonly onGone = () => this.close('aborted');

  constructor(
    response: ServerResponse,
    { initial, maxQueueBytes, maxQueueEvents, ticket, onClose }: SessionOptions,
  ) {
    this.response = response;
    this.maxQueueBytes = maxQueueBytes;
    this.maxQueueEvents = maxQueueEvents;
    this.onClose = onClose;
    this.ticket = ticket;
    response.writeHead(200, streamHeaders);
    response.on('close', this.onGone);
    for (const chunk of initial) response.write(chunk);
    this.greeting = response.writableLength;
  }

  write(chunk: Uint8Array): void {
    const response = this.response;
    if (this.closed || !response) return;
    if (response.destroyed) {
      this.close('write-failed');
      return;
    }
    const waiting = response.writableLength;
    this.greeting = Math.min(this.greeting, waiting);
    const backlog = waiting - this.greeting;
    this.unread = backlog === 0 ? 0 : this.unread + 1;
    if (backlog > this.maxQueueBytes || this.unread > this.maxQueueEvents) {
      this.close('slow-client');
      return;
    }
    response.write(chunk);
  }

  close(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    const response = this.response;
    const onClose = this.onClose;
    this.response = null;
    this.onClose = null;
    this.ticket?.release();
    this.ticket = null;
    if (response) {
      response.off('close', this.onGone);
      if (reason === 'slow-client') response.destroy();
      else if (!response.writableEnded) {
        // At shutdown the connection goes too once the last bytes are out: kept alive, it would
        // carry the client's reconnect straight back to the server that is leaving.
        const socket = response.socket;
        if (reason === 'shutdown') response.once('finish', () => socket?.end());
        response.end();
      }
    }
    onClose?.(this, reason);
  }
}
