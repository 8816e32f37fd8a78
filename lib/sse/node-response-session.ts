import 'server-only';
import type { ServerResponse } from 'node:http';
import type { CloseReason, Session, SessionOptions } from './session';
import { streamHeaders } from './stream-headers';

/**
 * One client's event stream written straight to a Node response, for the production server
 * (server/main.ts): no web stream, no pipe, no per-chunk promise between our bytes and the socket,
 * which is what a stream costs most in a route handler. Node buffers what the socket cannot take;
 * past `maxQueueBytes` or `maxQueueEvents` of it the client is dropped as too slow (it resumes by Last-Event-ID).
 */
export class NodeResponseSession implements Session {
  readonly openedAt = Date.now();
  closed = false;
  private response: ServerResponse | null;
  private readonly maxQueueBytes: number;
  private readonly maxQueueEvents: number;
  /** Chunks written since the socket last took everything (Node's buffer was empty). */
  private unread = 0;
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
    for (const chunk of initial) this.write(chunk);
  }

  write(chunk: Uint8Array): void {
    const response = this.response;
    if (this.closed || !response) return;
    if (response.destroyed) {
      this.close('write-failed');
      return;
    }
    const waiting = response.writableLength;
    this.unread = waiting === 0 ? 0 : this.unread + 1;
    if (waiting > this.maxQueueBytes || this.unread > this.maxQueueEvents) {
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
      else if (!response.writableEnded) response.end();
    }
    onClose?.(this, reason);
  }
}
