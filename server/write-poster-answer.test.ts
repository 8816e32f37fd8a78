import { IncomingMessage, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { PosterAnswer } from '@/lib/poster/create-poster-proxy';
import { writePosterAnswer } from './write-poster-answer';
import { writeResponse } from './write-response';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const poster = new Uint8Array(100 * 1024).fill(7);
const answer: PosterAnswer = {
  status: 200,
  headers: { 'Content-Type': 'image/jpeg', 'Content-Length': String(poster.byteLength), ETag: '"e"' },
  body: poster,
  release: () => {},
};

/**
 * A Node response on a socket that takes nothing: a client that never reads, once the kernel's
 * buffers are full. What the response wrote stays referenced, as it would on a real socket.
 */
function openUnreadResponse(): { response: ServerResponse; written: Uint8Array[] } {
  const written: Uint8Array[] = [];
  const socket = new Duplex({
    read() {},
    writev(chunks, _callback) {
      // Never calls back: nothing more is taken.
      for (const { chunk } of chunks) written.push(chunk);
    },
  });
  const request = new IncomingMessage(socket as never);
  request.method = 'GET';
  request.httpVersionMajor = 1;
  request.httpVersionMinor = 1;
  const response = new ServerResponse(request);
  response.assignSocket(socket as never);
  return { response, written };
}

/** ArrayBuffer bytes the process holds after a full collection. */
function heldArrayBuffers(): number {
  gc();
  return process.memoryUsage().arrayBuffers;
}

describe('writePosterAnswer', () => {
  it("writes the cache's own bytes to the socket, not a copy, with the answer's headers", () => {
    const { response, written } = openUnreadResponse();
    writePosterAnswer({ answer, response });
    const body = written.find((chunk) => chunk.byteLength === poster.byteLength);
    expect(body?.buffer).toBe(poster.buffer);
    expect(body?.byteOffset).toBe(poster.byteOffset);
    const head = Buffer.from(written[0] as Uint8Array).toString('latin1');
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toContain(`Content-Length: ${poster.byteLength}\r\n`);
  });

  it('writes a 304 without a body', () => {
    const { response, written } = openUnreadResponse();
    writePosterAnswer({
      answer: { status: 304, headers: { ETag: '"e"' }, body: null, release: () => {} },
      response,
    });
    expect(written).toHaveLength(1);
    expect(Buffer.from(written[0] as Uint8Array).toString('latin1')).toMatch(
      /^HTTP\/1\.1 304 Not Modified\r\n/,
    );
  });

  it("keeps the client's place while the answer is unread, and gives it back when the response closes", async () => {
    let released = 0;
    const { response } = openUnreadResponse();
    writePosterAnswer({
      answer: {
        ...answer,
        release: () => {
          released += 1;
        },
      },
      response,
    });
    expect(released).toBe(0);
    const closed = new Promise((resolve) => response.once('close', resolve));
    response.socket?.destroy();
    await closed;
    expect(released).toBe(1);
  });

  it('holds one poster, not one per client, for 1,000 answers nobody reads', async () => {
    const answers = 1_000;
    const measure = async (write: (response: ServerResponse) => Promise<void> | void) => {
      const before = heldArrayBuffers();
      const held = Array.from({ length: answers }, openUnreadResponse);
      for (const { response } of held) await write(response);
      const grew = heldArrayBuffers() - before;
      // Still referenced while measured: the unread answers are what holds the memory.
      expect(held.every(({ written }) => written.length > 0)).toBe(true);
      return grew;
    };
    const direct = await measure((response) => writePosterAnswer({ answer, response }));
    // The way npm start wrote posters before: a web Response of the bytes, read whole and written.
    const copied = await measure((response) =>
      writeResponse(new Response(poster, { headers: answer.headers }), response),
    );
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    console.log(
      `${answers} unread 100 KB poster answers hold ${mb(direct)} MB of ArrayBuffers written from the cache, ${mb(copied)} MB written through a web Response`,
    );
    // The headers (a few hundred bytes each) remain; a copy per answer would be 100 MB.
    expect(direct).toBeLessThan(2 * 2 ** 20);
    // The same measure sees a copy per answer when there is one.
    expect(copied).toBeGreaterThan(answers * poster.byteLength * 0.9);
  });
});
