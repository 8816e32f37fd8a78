import 'server-only';
import type { CloseReason, Connection, Session } from './session';

// One strategy for every stream: the queue is measured in bytes, and nothing is buffered ahead of the
// reader (highWaterMark 0), so `desiredSize` is minus what this client has not read yet.
const byteQueue: QueuingStrategy<Uint8Array> = { highWaterMark: 0, size: (chunk) => chunk.byteLength };

/**
 * A session's bytes as a web `ReadableStream`, what a route handler returns. The connection is itself
 * the stream's underlying source and the request signal's abort listener (`handleEvent`), so it adds
 * no closures to an open stream. The client leaving (abort or `cancel()`) closes the session.
 */
export class WebStreamConnection implements Connection, UnderlyingDefaultSource<Uint8Array> {
  readonly stream: ReadableStream<Uint8Array>;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private session: Session | null = null;
  private signal: AbortSignal | undefined;
  private aborted: boolean;

  constructor(signal?: AbortSignal) {
    this.signal = signal;
    this.aborted = signal?.aborted ?? false;
    // `start` runs now, so the controller is there before the session writes its greeting.
    this.stream = new ReadableStream<Uint8Array>(this, byteQueue);
    if (!this.aborted) signal?.addEventListener('abort', this);
  }

  get buffered(): number {
    return Math.max(0, -(this.controller?.desiredSize ?? 0));
  }

  get gone(): boolean {
    return this.aborted || this.controller === null;
  }

  bind(session: Session): void {
    this.session = session;
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = controller;
  }

  cancel(): void {
    this.controller = null;
    this.session?.close('cancelled');
  }

  /** The request signal's abort. */
  handleEvent(): void {
    this.aborted = true;
    this.session?.close('aborted');
  }

  write(chunk: Uint8Array): void {
    this.controller?.enqueue(chunk);
  }

  end(reason: CloseReason): void {
    this.signal?.removeEventListener('abort', this);
    this.signal = undefined;
    this.session = null;
    try {
      // A slow client's queue is dropped at once (error), not drained to a reader that does not read.
      if (reason === 'slow-client') this.controller?.error(new Error('client too slow'));
      else this.controller?.close();
    } catch {
      // Already closed or errored by the runtime: nothing left to end.
    }
    this.controller = null;
  }
}
