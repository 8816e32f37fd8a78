import { type ClientRequest, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { type App, startApp, withTimeout } from './start-app';
import { eventually } from './wait-for';

// This suite's own ports: other suites run beside it on the same machine.
const PORT = 4770;
const PER_IP = 20;

let fake: FakeDouban;
let app: App;

beforeAll(async () => {
  fake = await startFakeDouban({ port: PORT + 1 });
  app = await startApp({
    port: PORT,
    env: {
      DOUBAN_BASE_URL: fake.url,
      POLL_INTERVAL_MS: '60000',
      SSE_HEARTBEAT_MS: '60000',
      STREAMS_PER_IP: String(PER_IP),
      STREAMS_MAX: '0',
      TRUST_PROXY: '0',
      LOG_LEVEL: 'error',
    },
  });
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

/**
 * Sends GET `path` exactly as written (no client-side normalisation of dot segments) on a connection
 * of its own, with a made-up `X-Forwarded-For`; resolves its status (and the content type) and keeps
 * an open stream open until `close`.
 */
function get(path: string, forwardedFor: string) {
  let sent: ClientRequest | undefined;
  const answer = new Promise<{ status: number; type: string; close(): void }>((resolve, reject) => {
    sent = request({
      host: '127.0.0.1',
      port: PORT,
      path,
      agent: false,
      headers: { 'X-Forwarded-For': forwardedFor },
    });
    sent.on('error', reject);
    sent.on('response', (response) => {
      if (response.statusCode !== 200) response.resume();
      resolve({
        status: response.statusCode ?? 0,
        type: String(response.headers['content-type']),
        close: () => sent?.destroy(),
      });
    });
    sent.end();
  });
  return withTimeout(answer, 20_000, () => `no answer to ${path}`);
}

async function openStreams(): Promise<number> {
  const health = (await (await fetch(`${app.url}/api/health`)).json()) as { streams: number };
  return health.streams;
}

// Every spelling of the route that Next would serve from its route handler (dot segments, encoded
// or not), measured with curl --path-as-is against `npm start`; with TRUST_PROXY=0 none may let a
// client choose its address by X-Forwarded-For.
describe.each([
  '/api/movies/stream',
  '/api/movies/./stream',
  '/api/../api/movies/stream',
  '/api/movies/x/../stream',
  '/api/movies/%2e/stream',
  '/api/movies/.%2E/movies/stream',
])('npm start, TRUST_PROXY=0, GET %s', (path) => {
  it(`refuses the ${PER_IP + 1}st stream from one address whatever X-Forwarded-For it sends`, async () => {
    const open: Array<{ close(): void }> = [];
    try {
      for (let i = 0; i < PER_IP; i += 1) {
        const answer = await get(`${path}?city=shanghai`, `198.51.100.${i + 1}`);
        open.push(answer);
        expect([answer.status, answer.type]).toEqual([200, 'text/event-stream; charset=utf-8']);
      }
      const refused = await get(`${path}?city=shanghai`, '203.0.113.99');
      expect(refused.status).toBe(429);
    } finally {
      for (const answer of open) answer.close();
    }
    await eventually('every stream of this spelling closed', async () => (await openStreams()) === 0, 15_000);
  });
});
