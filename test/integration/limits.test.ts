import { type ClientRequest, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { metricSample, readMetricsText } from './metric-sample';
import { type App, type AppMode, startApp, withTimeout } from './start-app';
import { eventually } from './wait-for';

const PER_IP = 3;
const MAX = 5;

/** A stream request as it was answered: open (200, held until `close`) or refused (its JSON). */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> | null;
  close(): void;
}

/**
 * Opens GET /api/movies/stream on its own connection (no keep-alive pool, so closing it closes the
 * socket the server watches). A 200 is left unread and open; anything else is read to the end.
 */
function openStream(app: App, forwardedFor?: string): Promise<Answer> {
  let sent: ClientRequest | undefined;
  const answer = new Promise<Answer>((resolve, reject) => {
    sent = request(`${app.url}/api/movies/stream?city=shanghai`, {
      agent: false,
      headers: forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {},
    });
    sent.on('error', reject);
    sent.on('response', (response) => {
      const close = () => sent?.destroy();
      if (response.statusCode === 200) {
        resolve({ status: 200, headers: response.headers, body: null, close });
        return;
      }
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: JSON.parse(text),
          close,
        }),
      );
    });
    sent.end();
  });
  return withTimeout(answer, 20_000, () => 'the stream request got no answer');
}

async function health(app: App): Promise<{ streams: number; clients: number }> {
  return (await fetch(`${app.url}/api/health`)).json() as Promise<{ streams: number; clients: number }>;
}

/** Until the server has let go of every stream the test closed. */
async function settle(app: App, { streams, clients }: { streams: number; clients: number }) {
  await eventually(
    `${streams} streams from ${clients} clients`,
    async () => {
      const now = await health(app);
      return now.streams === streams && now.clients === clients;
    },
    15_000,
  );
}

async function rejectedCount(app: App, reason: string): Promise<number> {
  return metricSample(await readMetricsText(app.url), 'nowshowing_streams_rejected_total', { reason }) || 0;
}

function expectRefusal(answer: Answer, status: number, error: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.headers['cache-control']).toBe('no-store');
  const retryAfter = Number(answer.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
  expect(answer.body).toEqual({ error, message: expect.any(String), retryAfterSeconds: retryAfter });
}

async function startLimitedApp({
  port,
  mode,
  trustProxy,
}: {
  port: number;
  mode: AppMode;
  trustProxy: number;
}) {
  const fake = await startFakeDouban({ port: port + 1 });
  const app = await startApp({
    port,
    mode,
    env: {
      DOUBAN_BASE_URL: fake.url,
      DOUBAN_TIMEOUT_MS: '2000',
      POLL_INTERVAL_MS: '60000',
      SSE_HEARTBEAT_MS: '60000',
      STREAMS_PER_IP: String(PER_IP),
      STREAMS_MAX: String(MAX),
      TRUST_PROXY: String(trustProxy),
      LOG_LEVEL: 'error',
    },
  });
  return { fake, app };
}

// Both ways of serving the stream count the same way once they know the client's address. What
// differs is what they can know. The production server sees the socket, so with TRUST_PROXY=0 it
// ignores X-Forwarded-For entirely, and with TRUST_PROXY=N it believes only the N entries the
// trusted proxies appended. A route handler (`next start`, Vercel) never sees the socket: Next sets
// X-Forwarded-For to the socket's address only when the request carries none, so the header's last
// entry is all it has. Behind a proxy that appends (TRUST_PROXY>=1) that is the proxy's word, as on
// the server; with no proxy in front, a client that sends its own header picks its own address, and
// the per-IP limit there holds only against clients that do not lie (STREAMS_MAX still holds).
describe.each([
  ['npm start (dist/server.js)', 'server', 4520],
  ['next start (the route handler)', 'next-start', 4524],
] as const)('%s behind one trusted proxy (TRUST_PROXY=1)', (_, mode, port) => {
  let fake: FakeDouban;
  let app: App;
  const open: Answer[] = [];

  beforeAll(async () => {
    ({ fake, app } = await startLimitedApp({ port, mode, trustProxy: 1 }));
  });

  afterAll(async () => {
    for (const answer of open.splice(0)) answer.close();
    await app?.stop();
    await fake?.close();
  });

  it(`answers the ${PER_IP + 1}th stream from one address with 429 ip-limit, until one closes`, async () => {
    const before = await rejectedCount(app, 'ip-limit');
    for (let i = 0; i < PER_IP; i += 1) {
      const answer = await openStream(app, '203.0.113.50, 198.51.100.1');
      open.push(answer);
      expect(answer.status).toBe(200);
    }
    const refused = await openStream(app, '198.51.100.1');
    expectRefusal(refused, 429, 'ip-limit');
    expect(await rejectedCount(app, 'ip-limit')).toBe(before + 1);
    // The entry left of the trusted one was written by the client: changing it changes nothing.
    expectRefusal(await openStream(app, '203.0.113.51, 198.51.100.1'), 429, 'ip-limit');

    open.shift()?.close();
    await settle(app, { streams: PER_IP - 1, clients: 1 });
    const again = await openStream(app, '198.51.100.1');
    open.push(again);
    expect(again.status).toBe(200);

    for (const answer of open.splice(0)) answer.close();
    await settle(app, { streams: 0, clients: 0 });
  });

  it(`counts streams per forwarded address, and answers 503 total-limit past ${MAX}`, async () => {
    const before = await rejectedCount(app, 'total-limit');
    for (let i = 0; i < MAX; i += 1) {
      // Two streams per address at most, so only the total limit can refuse.
      const answer = await openStream(app, `198.51.100.${10 + Math.floor(i / 2)}`);
      open.push(answer);
      expect(answer.status).toBe(200);
    }
    expect(await health(app)).toMatchObject({ streams: MAX, clients: Math.ceil(MAX / 2) });
    expectRefusal(await openStream(app, '198.51.100.99'), 503, 'total-limit');
    expect(await rejectedCount(app, 'total-limit')).toBe(before + 1);

    for (const answer of open.splice(0)) answer.close();
    await settle(app, { streams: 0, clients: 0 });
  });
});

describe('npm start (dist/server.js) with no proxy trusted (TRUST_PROXY=0)', () => {
  let fake: FakeDouban;
  let app: App;
  const open: Answer[] = [];

  beforeAll(async () => {
    ({ fake, app } = await startLimitedApp({ port: 4528, mode: 'server', trustProxy: 0 }));
  });

  afterAll(async () => {
    for (const answer of open.splice(0)) answer.close();
    await app?.stop();
    await fake?.close();
  });

  it('does not let a spoofed X-Forwarded-For escape the per-IP limit', async () => {
    for (let i = 0; i < PER_IP; i += 1) {
      const answer = await openStream(app, `198.51.100.${i + 1}`);
      open.push(answer);
      expect(answer.status).toBe(200);
    }
    // Every stream came from 127.0.0.1, whatever the header claims.
    expect(await health(app)).toMatchObject({ streams: PER_IP, clients: 1 });
    expectRefusal(await openStream(app, '198.51.100.200'), 429, 'ip-limit');
    expectRefusal(await openStream(app), 429, 'ip-limit');
    expect(await rejectedCount(app, 'ip-limit')).toBe(2);
  });
});
