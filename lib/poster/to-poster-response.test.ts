import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { PosterAnswer } from './create-poster-proxy';
import { toPosterResponse } from './to-poster-response';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const poster = new Uint8Array(100 * 1024).fill(7);
const headers = { 'Content-Type': 'image/jpeg', 'Content-Length': String(poster.byteLength), ETag: '"e"' };
const answer: PosterAnswer = { status: 200, headers, body: poster, release: () => {} };

describe('toPosterResponse', () => {
  it("streams the cache's own bytes as one chunk, not a copy, with the answer's status and headers", async () => {
    const response = toPosterResponse(answer);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"e"');
    expect(response.headers.get('content-length')).toBe(String(poster.byteLength));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    expect(value).toBe(poster);
    expect((await reader.read()).done).toBe(true);
  });

  it('leaves the cached bytes whole for the next answer', async () => {
    for (let i = 0; i < 2; i++) {
      const bytes = Buffer.from(await toPosterResponse(answer).arrayBuffer());
      expect(bytes.equals(poster)).toBe(true);
    }
    // A transferred (detached) buffer would leave the view empty.
    expect(poster.byteLength).toBe(100 * 1024);
  });

  it('answers a 304 without a body', async () => {
    const response = toPosterResponse({
      status: 304,
      headers: { ETag: '"e"' },
      body: null,
      release: () => {},
    });
    expect(response.status).toBe(304);
    expect(response.body).toBeNull();
  });

  it("gives the client's place back once the bytes are taken, or dropped, not before", async () => {
    let released = 0;
    const counted: PosterAnswer = {
      ...answer,
      release: () => {
        released += 1;
      },
    };
    const reader = (toPosterResponse(counted).body as ReadableStream<Uint8Array>).getReader();
    // Not read yet: a client that does not read keeps its place.
    expect(released).toBe(0);
    expect((await reader.read()).value).toBe(poster);
    expect((await reader.read()).done).toBe(true);
    expect(released).toBe(1);
    const dropped = toPosterResponse(counted).body as ReadableStream<Uint8Array>;
    await dropped.cancel();
    expect(released).toBe(2);
    toPosterResponse({ status: 304, headers: { ETag: '"e"' }, body: null, release: counted.release });
    expect(released).toBe(3);
  });

  it('holds one poster, not one per client, for 1,000 answers nobody reads', () => {
    const answers = 1_000;
    const measure = (respond: () => Response) => {
      gc();
      const before = process.memoryUsage().arrayBuffers;
      const held = Array.from({ length: answers }, respond);
      gc();
      const grew = process.memoryUsage().arrayBuffers - before;
      expect(held).toHaveLength(answers);
      return grew;
    };
    const streamed = measure(() => toPosterResponse(answer));
    const copied = measure(() => new Response(poster, { headers }));
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    console.log(
      `${answers} unread 100 KB poster Responses hold ${mb(streamed)} MB of ArrayBuffers streamed from the cache, ${mb(copied)} MB made from the bytes`,
    );
    expect(streamed).toBeLessThan(2 ** 20);
    // The same measure sees undici's copy of a Uint8Array body when there is one.
    expect(copied).toBeGreaterThan(answers * poster.byteLength * 0.9);
  });
});
