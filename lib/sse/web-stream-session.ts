import 'server-only';

import type { CloseReason, Session, SessionOptions } from './session';

// One strategy for every stream: the queue is measured in bytes, and nothing is buffered ahead of the
// reader (highWaterMark 0), so `desiredSize` is minus what this client has not read yet.
const byteQueue: QueuingStrategy<Uint8Array> = { highWaterMark: 0, size: (chunk) => chunk.byteLength };

/**
 * One client's event stream as a web `ReadableStream`, what a route handler returns. The session is itself the stream's underlying source and the abort
 * listener (`handleEvent`), so an open stream costs one object and no closures. Every way a stream
 * can end (client abort, `cancel()`, a failed write, a slow reader, the server) goes through
 * `close()`, which is safe to call any number of times.
 */
export class WebStreamSession implements Session, UnderlyingDefaultSource<Uint8Array> {
  readonly stream: ReadableStream<Uint8Array>;
  readonly openedAt = Date.now();
  closed = false;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  /** Chunks written since the reader last caught up with everything but the greeting. */
  private unread = 0;
  /**
   * Bytes of the greeting (retry, snapshot or replay, status) the reader may not have taken yet: all
   * of it once queued, then never more than what waits at all. A replay can be up to HISTORY_LIMIT
   * events long; it is not held against the bound, only what is queued after it.
   */
  private greeting = 0;
  private options: (SessionOptions & { signal?: AbortSignal }) | null;

  constructor(options: SessionOptions & { signal?: AbortSignal }) {
    this.options = options;
    this.stream = new ReadableStream<Uint8Array>(this, byteQueue);
    if (options.signal?.aborted) this.close('aborted');
    else options.signal?.addEventListener('abort', this);
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = controller;
    for (const chunk of this.options?.initial ?? []) controller.enqueue(chunk);
    this.greeting = -(controller.desiredSize ?? 0);
  }

  cancel(): void {
    this.close('cancelled');
  }

  /** The request signal's abort. */
  handleEvent(): void {
    this.close('aborted');
  }

  /** Queues a chunk; a client that has left or stopped reading is closed instead. */
  write(chunk: Uint8Array): void {
    const controller = this.controller;
    if (this.closed || !controller || !this.options) return;
    const waiting = Math.max(0, -(controller.desiredSize ?? 0));
    this.greeting = Math.min(this.greeting, waiting);
    const backlog = waiting - this.greeting;
    this.unread = backlog === 0 ? 0 : this.unread + 1;
    if (backlog > this.options.maxQueueBytes || this.unread > this.options.maxQueueEvents) {
      this.close('slow-client');
      return;
    }
    try {
      controller.enqueue(chunk);
    } catch {
      this.close('write-failed');
    }
  }

  close(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    const options = this.options;
    this.options = null;
    options?.signal?.removeEventListener('abort', this);
    options?.ticket?.release();
    try {
      // A slow client's queue is dropped at once (error), not drained to a reader that does not read.
      if (reason === 'slow-client') this.controller?.error(new Error('client too slow'));
      else this.controller?.close();
    } catch {
      // Already closed or errored by the runtime: nothing left to end.
    }
    this.controller = null;
    options?.onClose(this, reason);
  }
}
