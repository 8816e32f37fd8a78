import { describe, expect, it, vi } from 'vitest';
import type { StreamTicket } from './create-stream-admission';
import { type CloseReason, Session, type SessionPolicy } from './session';
import { WebStreamConnection } from './web-stream-connection';

const bytes = (n: number) => new Uint8Array(n).fill(0x61);

/** A session over a web stream, as a route handler serves it; `initial` is its greeting. */
function open({
  signal,
  initial = [],
  ...options
}: Partial<SessionPolicy> & { signal?: AbortSignal; initial?: Uint8Array[] } = {}) {
  const release = vi.fn();
  const ticket: StreamTicket = { client: '127.0.0.1', release };
  const onClose = vi.fn<(session: unknown, reason: CloseReason) => void>();
  const connection = new WebStreamConnection(signal);
  const session = new Session({
    connection,
    greeting: initial,
    ticket,
    policy: { maxQueueBytes: 1_000_000, maxQueueEvents: 1_000_000, onClose, ...options },
  });
  // The same object the session's owner hears about, with the stream the route handler returns.
  return { session: Object.assign(session, { stream: connection.stream }), release, onClose };
}

describe('Session over a WebStreamConnection', () => {
  it('closes a reader that lets more than maxQueueBytes wait, once, as slow-client', async () => {
    const { session, release, onClose } = open({ maxQueueBytes: 100 });
    const reader = session.stream.getReader();
    // 40 B chunks nobody reads: 0, 40 and 80 B wait before the first three; 120 B before the fourth.
    for (let i = 0; i < 3; i++) session.write(bytes(40));
    expect(session.closed).toBe(false);
    session.write(bytes(40));
    expect(session.closed).toBe(true);
    session.write(bytes(40));
    session.close('shutdown');
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(onClose).toHaveBeenCalledWith(session, 'slow-client');
    expect(release).toHaveBeenCalledTimes(1);
    // The queue is dropped, not drained to a reader that stopped reading.
    await expect(reader.read()).rejects.toThrow('client too slow');
  });

  it('closes a reader that lets more than maxQueueEvents wait, however small they are', () => {
    const { session, release, onClose } = open({ maxQueueEvents: 3 });
    for (let i = 0; i < 4; i++) session.write(bytes(1));
    expect(session.closed).toBe(false);
    session.write(bytes(1));
    expect(onClose).toHaveBeenCalledExactlyOnceWith(session, 'slow-client');
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('never closes a reader that keeps up, however much passes through', async () => {
    const { session, onClose } = open({ maxQueueBytes: 1024, maxQueueEvents: 2 });
    const reader = session.stream.getReader();
    let received = 0;
    for (let i = 0; i < 500; i++) {
      session.write(bytes(1000));
      session.write(bytes(1000));
      received +=
        ((await reader.read()).value?.byteLength ?? 0) + ((await reader.read()).value?.byteLength ?? 0);
    }
    expect(received).toBe(1_000_000);
    expect(session.closed).toBe(false);
    expect(onClose).not.toHaveBeenCalled();
  });

  it('does not hold a long greeting (a replay) against the bound, only what is queued after it', async () => {
    const initial = Array.from({ length: 50 }, () => bytes(100));
    const { session, onClose } = open({ initial, maxQueueBytes: 1024, maxQueueEvents: 3 });
    expect(session.closed).toBe(false);
    const reader = session.stream.getReader();
    // Behind the unread 5,000 B greeting the first write waits for nothing of its own; 3 more fit.
    for (let i = 0; i < 4; i++) session.write(bytes(10));
    expect(session.closed).toBe(false);
    let received = 0;
    while (received < 5_040) received += (await reader.read()).value?.byteLength ?? 0;
    // Caught up: the count starts again.
    for (let i = 0; i < 4; i++) session.write(bytes(10));
    expect(session.closed).toBe(false);
    session.write(bytes(10));
    expect(onClose).toHaveBeenCalledExactlyOnceWith(session, 'slow-client');
  });

  it.each<[CloseReason, (s: ReturnType<typeof open>, abort: AbortController) => unknown]>([
    ['aborted', (_, abort) => abort.abort()],
    ['cancelled', ({ session }) => session.stream.cancel()],
    ['shutdown', ({ session }) => session.close('shutdown')],
    ['max-duration', ({ session }) => session.close('max-duration')],
  ])('releases the ticket once when the stream ends as %s', async (reason, end) => {
    const abort = new AbortController();
    const opened = open({ signal: abort.signal, initial: [bytes(10)] });
    await end(opened, abort);
    abort.abort();
    opened.session.close('shutdown');
    expect(opened.onClose).toHaveBeenCalledExactlyOnceWith(opened.session, reason);
    expect(opened.release).toHaveBeenCalledTimes(1);
  });

  it('releases the ticket at once for a request already aborted', () => {
    const { session, release, onClose } = open({ signal: AbortSignal.abort() });
    expect(session.closed).toBe(true);
    expect(onClose).toHaveBeenCalledExactlyOnceWith(session, 'aborted');
    expect(release).toHaveBeenCalledTimes(1);
  });
});
