import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StreamTicket } from './create-stream-admission';
import { NodeResponseConnection } from './node-response-connection';
import { type CloseReason, Session, type SessionPolicy } from './session';

const PORT = 4510;
const chunk = (n: number) => new Uint8Array(n).fill(0x61);

let server: Server;
let pending: Array<(response: ServerResponse) => void> = [];
const sockets: Socket[] = [];
const responses: IncomingMessage[] = [];

beforeAll(async () => {
  // A real server on loopback, so `writableLength` is what a real socket leaves in Node's buffer.
  server = createServer((_, response) => pending.shift()?.(response));
  server.listen(PORT, '127.0.0.1');
  await once(server, 'listening');
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const response of responses.splice(0)) response.destroy();
  pending = [];
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

/** Opens a session on the next request the server receives. */
function sessionOnNextRequest({
  initial = [],
  ...options
}: Partial<SessionPolicy> & { initial?: Uint8Array[] }) {
  const release = vi.fn();
  const ticket: StreamTicket = { client: '127.0.0.1', release };
  const onClose = vi.fn<(session: unknown, reason: CloseReason) => void>();
  let served: (response: ServerResponse) => void = () => {};
  const response = new Promise<ServerResponse>((resolve) => (served = resolve));
  const session = new Promise<Session>((resolve) =>
    pending.push((res) => {
      served(res);
      resolve(
        new Session({
          connection: new NodeResponseConnection(res),
          greeting: initial,
          ticket,
          policy: {
            maxQueueBytes: 1_000_000_000,
            maxQueueEvents: 1_000_000_000,
            onClose,
            ...options,
          },
        }),
      );
    }),
  );
  return { session, response, release, onClose };
}

/** A client that sends its request and never reads: the kernel's buffers fill, then Node's. */
function openNonReader(): Socket {
  const socket = connect(PORT, '127.0.0.1');
  socket.pause();
  socket.on('error', () => {});
  socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  sockets.push(socket);
  return socket;
}

/** A client that reads everything; `receive(n)` resolves once `n` body bytes have arrived in all. */
async function openReader() {
  const request = get(`http://127.0.0.1:${PORT}/`);
  request.on('error', () => {});
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  responses.push(response);
  let received = 0;
  let waiter: { bytes: number; resolve: () => void } | null = null;
  response.on('data', (data: Buffer) => {
    received += data.length;
    if (waiter && received >= waiter.bytes) waiter.resolve();
  });
  return {
    response,
    receive: (bytes: number) =>
      new Promise<number>((resolve) => {
        waiter = { bytes, resolve: () => resolve(received) };
        if (received >= bytes) resolve(received);
      }),
  };
}

/** Writes 64 KB chunks until the session closes; bounded, yielding so the kernel can take its share. */
async function writeUntilClosed(session: Session): Promise<number> {
  for (let writes = 1; writes <= 4000; writes++) {
    session.write(chunk(64 * 1024));
    if (session.closed) return writes;
    await turn();
  }
  throw new Error('the session never closed');
}

describe('Session over a NodeResponseConnection', () => {
  it('closes a client that never reads once Node holds more than maxQueueBytes for it', async () => {
    const { session, release, onClose } = sessionOnNextRequest({ maxQueueBytes: 256 * 1024 });
    const client = openNonReader();
    const opened = await session;
    await writeUntilClosed(opened);
    expect(onClose).toHaveBeenCalledExactlyOnceWith(opened, 'slow-client');
    expect(release).toHaveBeenCalledTimes(1);
    // The connection ends once the client reads what the kernel already holds.
    client.resume();
    await once(client, 'close');
    opened.write(chunk(10));
    opened.close('shutdown');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes a client that never reads once more than maxQueueEvents wait, whatever their size', async () => {
    const { session, release, onClose } = sessionOnNextRequest({ maxQueueEvents: 4 });
    openNonReader();
    const opened = await session;
    await writeUntilClosed(opened);
    expect(onClose).toHaveBeenCalledExactlyOnceWith(opened, 'slow-client');
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('never closes a client that keeps up, however much passes through', async () => {
    const { session, onClose } = sessionOnNextRequest({
      // Node sends the headers with the first bytes; the reader waits for them.
      initial: [chunk(64 * 1024)],
      maxQueueBytes: 64 * 1024,
      maxQueueEvents: 2,
    });
    const reader = await openReader();
    const opened = await session;
    for (let i = 2; i <= 200; i++) {
      opened.write(chunk(64 * 1024));
      expect(await reader.receive(i * 64 * 1024)).toBe(i * 64 * 1024);
    }
    expect(opened.closed).toBe(false);
    expect(onClose).not.toHaveBeenCalled();
  });

  it('does not hold a long greeting (a replay) against the bound, only what is written after it', async () => {
    // 8 MB: more than loopback takes before the client reads (~4 MB), so most of it waits in Node.
    const initial = Array.from({ length: 128 }, () => chunk(64 * 1024));
    const { session, onClose } = sessionOnNextRequest({
      initial,
      maxQueueBytes: 64 * 1024,
      maxQueueEvents: 2,
    });
    const reader = await openReader();
    const opened = await session;
    for (let i = 1; i <= 10; i++) {
      opened.write(chunk(1024));
      expect(await reader.receive(128 * 64 * 1024 + i * 1024)).toBe(128 * 64 * 1024 + i * 1024);
    }
    expect(opened.closed).toBe(false);
    expect(onClose).not.toHaveBeenCalled();
  });

  it.each<[CloseReason | 'client-left', CloseReason]>([
    ['client-left', 'aborted'],
    ['shutdown', 'shutdown'],
    ['max-duration', 'max-duration'],
  ])('releases the ticket once when the stream ends (%s)', async (how, reason) => {
    const { session, response, release, onClose } = sessionOnNextRequest({ initial: [chunk(10)] });
    const reader = await openReader();
    const opened = await session;
    if (how === 'client-left') {
      reader.response.destroy();
      await once(await response, 'close');
    } else opened.close(how);
    opened.close('shutdown');
    expect(onClose).toHaveBeenCalledExactlyOnceWith(opened, reason);
    expect(release).toHaveBeenCalledTimes(1);
  });
});
