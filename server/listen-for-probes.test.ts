import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listenForProbes } from './listen-for-probes';

// Readiness reads the process' services; here it only has to be the answer that comes back.
vi.mock('@/lib/answer-readiness', () => ({
  answerReadiness: ({ authorization }: { authorization: string | null }) =>
    Response.json({ ok: false, problems: ['shutting-down'], authorization }, { status: 503 }),
}));

/** Where the stand-in listens: a free port the system picks. */
let port = 0;

type Got = { status: number; headers: Record<string, unknown>; body: string } | { error: string };

/** One request on a connection of its own: the answer, or the network error's code. */
function send(path: string, { method = 'GET', headers = {} } = {}): Promise<Got> {
  return new Promise((resolve) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method, headers, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.setTimeout(5_000, () => request.destroy(new Error('hung')));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end();
  });
}

describe('listenForProbes', () => {
  let server: Server;

  beforeAll(async () => {
    server = listenForProbes({ port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => {
    server.close();
  });

  it('answers liveness 200, not cached, on a connection it then closes', async () => {
    const got = await send('/api/health/live');
    expect(got).toMatchObject({
      status: 200,
      headers: { 'cache-control': 'no-store', connection: 'close' },
      body: '{"ok":true}',
    });
  });

  it('answers readiness on both of its paths, passing its Authorization on', async () => {
    for (const path of ['/api/health', '/api/health/ready']) {
      const got = await send(path, { headers: { Authorization: 'Bearer t' } });
      expect(got).toMatchObject({ status: 503, headers: { connection: 'close' } });
      expect(JSON.parse((got as { body: string }).body)).toEqual({
        ok: false,
        problems: ['shutting-down'],
        authorization: 'Bearer t',
      });
    }
  });

  it('knows the paths however they are spelled, as Next routes them, and answers HEAD', async () => {
    expect(await send('/api/x/../health/./live?probe=1')).toMatchObject({ status: 200 });
    expect(await send('/api/health/live', { method: 'HEAD' })).toMatchObject({ status: 200, body: '' });
  });

  it('resets every other request unanswered, as a closed port refuses it', async () => {
    for (const [path, method] of [
      ['/api/movies/stream?city=shanghai', 'GET'],
      ['/', 'GET'],
      ['/api/health/live', 'POST'],
      ['/api/healthz', 'GET'],
    ]) {
      expect(await send(path as string, { method })).toEqual({ error: 'ECONNRESET' });
    }
  });
});
