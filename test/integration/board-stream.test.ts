import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { openClient } from './sse-client';
import { type App, startApp, withTimeout } from './start-app';
import { eventually, liveSnapshot, nextStatus } from './wait-for';

const INTERVAL = 400;
const FIRST_ID = '36154853'; // 好东西, first movie of the recorded Shanghai page

let fake: FakeDouban;
let app: App;
const clients: Array<{ close(): void }> = [];

function connect(city: string, options: { lastEventId?: string; query?: string } = {}) {
  const client = openClient(`${app.url}/api/movies/stream?city=${city}${options.query ?? ''}`, options);
  clients.push(client);
  return client;
}

async function health() {
  return (await (await fetch(`${app.url}/api/health`)).json()) as {
    cities: Array<{ city: string; streams: number; polling: boolean }>;
  };
}

// The same contract, proven on both ways of serving the stream: the production server `npm start`
// runs (written straight to Node responses) and the route handler under `next start` (as on Vercel).
describe.each([
  ['npm start (dist/server.js)', 'server', 4030],
  ['next start (the route handler)', 'next-start', 4032],
] as const)('%s', (_, mode, port) => {
  beforeAll(async () => {
    fake = await startFakeDouban({ port: port + 1 });
    app = await startApp({
      port,
      mode,
      env: {
        DOUBAN_BASE_URL: fake.url,
        DOUBAN_IMAGE_ORIGIN: fake.url,
        DOUBAN_TIMEOUT_MS: '1000',
        POLL_INTERVAL_MS: String(INTERVAL),
        // The fake's cities hold the same film at different scores (tests change one city), which Douban never
        // does; with history on, each city's poll would record the other's score and send trend-only updates.
        // These tests count exact events: they keep no history (test/integration/history.test.ts does).
        HISTORY: 'off',
        POLL_JITTER: '0',
        POLL_BACKOFF_MAX_MS: '800',
        POLL_GRACE_MS: '600',
        SSE_HEARTBEAT_MS: '1000',
        SSE_RETRY_MS: '200',
        LOG_LEVEL: 'error',
      },
    });
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) client.close();
    await app?.stop();
    await fake?.close();
  });

  describe('GET /api/movies/stream', () => {
    it('answers with unbuffered SSE headers, a retry field, then the snapshot', async () => {
      const response = await fetch(`${app.url}/api/movies/stream?city=shanghai`, {
        headers: { 'Accept-Encoding': 'gzip' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
      expect(response.headers.get('x-accel-buffering')).toBe('no');
      expect(response.headers.get('content-encoding')).toBeNull();
      const reader = response.body?.getReader();
      let text = '';
      while (!text.includes('event: status')) {
        const chunk = await reader?.read();
        text += new TextDecoder().decode(chunk?.value);
      }
      expect(text.startsWith('retry: 200\n\n')).toBe(true);
      expect(text.indexOf('event: snapshot')).toBeLessThan(text.indexOf('event: status'));
      await reader?.cancel();
    });

    it('delivers an update on its own while the response stays open, also to a gzip-accepting client', async () => {
      const watcher = connect('nanjing');
      await liveSnapshot(watcher);
      let text = '';
      let greeted: () => void = () => {};
      let updated: () => void = () => {};
      const greeting = new Promise<void>((resolve) => (greeted = resolve));
      const update = new Promise<void>((resolve) => (updated = resolve));
      const stream = request(`${app.url}/api/movies/stream?city=nanjing`, {
        headers: { 'Accept-Encoding': 'gzip' },
      });
      stream.on('response', (response) => {
        expect(response.headers['content-encoding']).toBeUndefined();
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('event: status')) greeted();
          if (chunk.includes('event: update')) updated();
        });
      });
      stream.end();
      await withTimeout(greeting, 10_000, () => `no greeting; got ${text}`);
      fake.setScore({ city: 'nanjing', id: FIRST_ID, score: 9.4 });
      await withTimeout(update, 10_000, () => `no update; got ${text}`);
      stream.destroy();
    });

    it('sends a snapshot on connect with the whole board', async () => {
      const client = connect('shanghai');
      const snapshot = await liveSnapshot(client);
      expect(snapshot).toMatchObject({ city: 'shanghai', stale: false, source: 'douban' });
      expect(snapshot.nowPlaying).toHaveLength(85);
      expect(snapshot.upcoming).toHaveLength(10);
      const status = await client.next('status');
      expect(status.data).toMatchObject({ city: 'shanghai', state: 'live', reason: null });
    });

    it('turns one upstream change into one update that carries only the change', async () => {
      const client = connect('wuhan');
      const snapshot = await liveSnapshot(client);
      fake.setScore({ city: 'wuhan', id: FIRST_ID, score: 9.6 });
      const update = await client.next('update');
      const data = update.data as BoardUpdate;
      expect(data).toMatchObject({ city: 'wuhan', added: [], removed: [] });
      expect(data.updated.map((m) => [m.id, m.score])).toEqual([[FIRST_ID, 9.6]]);
      expect(Number(update.id)).toBe(data.version);
      expect(data.version).toBeGreaterThan(snapshot.version);
      // The next change is the next event: the first one was not sent twice.
      fake.removeMovie({ city: 'wuhan', id: FIRST_ID });
      const next = (await client.next('update')).data as BoardUpdate;
      expect(next).toMatchObject({ added: [], updated: [], removed: [FIRST_ID] });
      expect(client.received.filter((e) => e.type === 'update')).toHaveLength(2);
    });

    it('asks Douban once per interval however many clients watch a city', async () => {
      const clientA = connect('guangzhou');
      const clientB = connect('guangzhou');
      await liveSnapshot(clientA);
      await liveSnapshot(clientB);
      for (const score of [8.1, 8.2, 8.3]) {
        fake.setScore({ city: 'guangzhou', id: FIRST_ID, score });
        await clientA.next('update');
        await clientB.next('update');
      }
      const times = fake
        .requestLog()
        .filter((r) => r.city === 'guangzhou')
        .map((r) => r.at);
      expect(times.length).toBeGreaterThanOrEqual(4);
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL - 50);
      const headers = fake.requestLog().find((r) => r.city === 'guangzhou')?.headers;
      expect(headers?.['user-agent']).toMatch(/Mozilla/);
      expect(headers?.referer).toBe('https://movie.douban.com/');
    });

    it('replays exactly the missed updates after Last-Event-ID, from the header or the query', async () => {
      const client = connect('shenzhen');
      await liveSnapshot(client);
      const ids: string[] = [];
      for (const score of [7.1, 7.2, 7.3]) {
        fake.setScore({ city: 'shenzhen', id: FIRST_ID, score });
        ids.push((await client.next('update')).id);
      }
      for (const resumed of [
        connect('shenzhen', { lastEventId: ids[0] }),
        connect('shenzhen', { query: `&lastEventId=${ids[0]}` }),
      ]) {
        const first = await resumed.next();
        const second = await resumed.next();
        expect([first, second].map((e) => [e.type, e.id])).toEqual([
          ['update', ids[1]],
          ['update', ids[2]],
        ]);
        expect((second.data as BoardUpdate).updated[0]?.score).toBe(7.3);
        expect((await resumed.next()).type).toBe('status');
      }
    });

    // A malformed one (not a version this server sent) is a 400: see hostile-input.test.ts.
    it('sends a fresh snapshot for an unknown or too old Last-Event-ID', async () => {
      for (const lastEventId of ['1', '99999999999999', String(Number.MAX_SAFE_INTEGER)]) {
        const client = connect('shanghai', { lastEventId });
        expect((await client.next()).type).toBe('snapshot');
        client.close();
      }
    });

    it.each([
      ['http-403', 'http-403'],
      ['http-418', 'http-418'],
      ['http-500', 'http-500'],
      ['timeout', 'timeout'],
      ['antibot-200', 'not-a-nowplaying-page'],
      ['antibot-403', 'http-403'],
      ['truncated', 'truncated-page'],
    ] as const)('reports %s as stale (%s), keeps every movie, and recovers to live', async (mode, reason) => {
      const city = 'chengdu';
      const client = connect(city);
      await liveSnapshot(client);
      fake.setMode({ city, mode });
      const stale = await nextStatus(client, 'stale');
      expect(stale).toMatchObject({ state: 'stale', reason });
      const board = (await (await fetch(`${app.url}/api/movies?city=${city}`)).json()) as BoardSnapshot;
      expect(board).toMatchObject({ stale: true, source: 'douban' });
      expect(board.nowPlaying).toHaveLength(85);
      expect(board.upcoming).toHaveLength(10);
      fake.setMode({ city, mode: 'ok' });
      expect(await nextStatus(client, 'live')).toMatchObject({ state: 'live', reason: null });
      expect(client.received.filter((e) => e.type === 'update')).toEqual([]);
      client.close();
    });

    it('forgets a client that leaves and stops polling its city after the grace period', async () => {
      const client = connect('hangzhou');
      await liveSnapshot(client);
      const city = async () => (await health()).cities.find((c) => c.city === 'hangzhou');
      expect(await city()).toMatchObject({ streams: 1, polling: true });
      client.close();
      await eventually('no stream left', async () => (await city())?.streams === 0);
      await eventually('polling stopped', async () => (await city())?.polling === false);
      const count = fake.requests('hangzhou');
      await new Promise((resolve) => setTimeout(resolve, INTERVAL * 3));
      expect(fake.requests('hangzhou')).toBe(count);
    });
  });

  describe('bad input', () => {
    it.each([
      ['no city', '', 'missing-city'],
      ['an empty city', '?city=', 'missing-city'],
      ['an unknown city', '?city=atlantis', 'unknown-city'],
      ['path traversal', '?city=../../etc/passwd', 'malformed-city'],
      ['CR/LF injection', '?city=%0D%0Aevent:%20x', 'malformed-city'],
      ['a 5000-character city', `?city=${'a'.repeat(5000)}`, 'malformed-city'],
    ])('answers the stream with %s by a 400 that points to /api/cities', async (_, query, code) => {
      const response = await fetch(`${app.url}/api/movies/stream${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      const body = await response.json();
      expect(body).toMatchObject({ error: code, citiesUrl: '/api/cities' });
      expect(body.message).toContain('/api/cities');
      expect(body.message.length).toBeLessThan(300);
    });

    it('answers /api/movies with the same 400 for an unknown city', async () => {
      const response = await fetch(`${app.url}/api/movies?city=atlantis`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'unknown-city' });
    });
  });

  describe('GET /api/movies and /api/cities', () => {
    it('gives the board as JSON in the contract shape', async () => {
      const response = await fetch(`${app.url}/api/movies?city=shangrao`);
      expect(response.status).toBe(200);
      const board = (await response.json()) as BoardSnapshot;
      expect(Object.keys(board).sort()).toEqual(
        ['city', 'fetchedAt', 'nowPlaying', 'source', 'stale', 'upcoming', 'version'].sort(),
      );
      expect(board.city).toBe('shangrao');
      expect(board.nowPlaying).toHaveLength(21);
    });

    it('lists the 343 cities, hot ones first', async () => {
      const cities = (await (await fetch(`${app.url}/api/cities`)).json()) as Array<{
        slug: string;
        hot: boolean;
      }>;
      expect(cities).toHaveLength(343);
      expect(cities[0]).toMatchObject({ slug: 'beijing', hot: true });
      expect(cities.some((c) => c.slug === 'shangrao')).toBe(true);
    });
  });

  describe('GET /api/poster', () => {
    const poster = 'https://img2.doubanio.com/view/photo/s_ratio_poster/public/p2915454411.jpg';

    it('fetches a Douban poster with a Douban Referer and lets browsers keep it', async () => {
      const response = await fetch(`${app.url}/api/poster?url=${encodeURIComponent(poster)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('cache-control')).toMatch(/max-age=\d{6,}/);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    });

    it.each([
      ['no url', ''],
      ['another host', 'https://example.com/view/photo/p1.jpg'],
      ['a look-alike host', 'https://img1.doubanio.com.evil.example/view/photo/p1.jpg'],
      ['user info', 'https://img1.doubanio.com@evil.example/view/photo/p1.jpg'],
      ['plain http', 'http://img1.doubanio.com/view/photo/p1.jpg'],
      ['another port', 'https://img1.doubanio.com:8443/view/photo/p1.jpg'],
      ['an IP literal', 'https://127.0.0.1/view/photo/p1.jpg'],
      ['another path', 'https://img1.doubanio.com/admin'],
      ['a file URL', 'file:///etc/passwd'],
    ])('refuses %s with a 400 and fetches nothing', async (_, url) => {
      const response = await fetch(`${app.url}/api/poster?url=${encodeURIComponent(url)}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'bad-poster-url' });
    });
  });
});
