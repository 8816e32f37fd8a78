import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { type App, startApp, withTimeout } from './start-app';

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/**
 * Sends one request byte for byte over a plain socket (fetch refuses header values that are not
 * Latin-1 and encodes what it can, so hostile bytes would never reach the server) and reads the
 * answer until the server closes the connection.
 */
function sendRaw(app: App, path: string, headerLines: string[] = []): Promise<RawAnswer> {
  const { hostname, port } = new URL(app.url);
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Map(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    const request = [`GET ${path} HTTP/1.1`, `Host: ${hostname}`, 'Connection: close', ...headerLines];
    // Not `end()`: a client that half-closes has its request aborted by Node before it is answered.
    socket.write(Buffer.from(`${request.join('\r\n')}\r\n\r\n`, 'utf8'));
    // A stream the server wrongly opened never closes by itself: give up on it.
    setTimeout(() => socket.destroy(), 15_000).unref();
  });
  return withTimeout(answer, 20_000, () => `no answer to ${path.slice(0, 80)}`);
}

/** A JSON body, or the raw text in the failure message when it is not JSON. */
function json(answer: RawAnswer): Record<string, unknown> {
  // A chunked body (Next's routes) carries its sizes around the JSON.
  const start = answer.body.indexOf('{');
  const end = answer.body.lastIndexOf('}');
  try {
    return JSON.parse(answer.body.slice(start, end + 1));
  } catch {
    throw new Error(`not JSON: ${answer.body.slice(0, 200)}`);
  }
}

const city = (value: string) => `city=${encodeURIComponent(value)}`;
const shanghai = '/api/movies/stream?city=shanghai';
const poster = (value: string) => `/api/poster?url=${encodeURIComponent(value)}`;
const long = 'a'.repeat(5_000);

// Each value is hostile in its own way; each must get a 400 that names the problem and nothing else.
const cityValues: Array<[string, string, string]> = [
  ['no city', '', 'missing-city'],
  ['an empty city', 'city=', 'missing-city'],
  ['a very long city', city(long), 'malformed-city'],
  ['a city in Chinese', city('上海'), 'malformed-city'],
  ['a path traversal', city('../etc/passwd'), 'malformed-city'],
  ['an encoded NUL', 'city=shanghai%00', 'malformed-city'],
  ['an encoded CR/LF', 'city=shanghai%0D%0ASet-Cookie:%20x=1', 'malformed-city'],
  ['a repeated city', 'city=shanghai&city=beijing', 'malformed-city'],
  ['a city Douban does not list', 'city=atlantis', 'unknown-city'],
];

const versionValues: Array<[string, string]> = [
  ['very long', '9'.repeat(1_000)],
  ['not digits', 'abc'],
  ['negative', '-1'],
  ['an exponent out of range', '1e400'],
  ['beyond MAX_SAFE_INTEGER', '9007199254740993'],
  ['leading zeros', '0042'],
  ['unicode digits', '１２'],
  ['a path traversal', '../../etc/passwd'],
];

const posterValues: Array<[string, string]> = [
  ['another host', 'https://evil.example/view/photo/s_ratio_poster/public/p1.jpg'],
  ['an IP literal', 'https://127.0.0.1/view/photo/s_ratio_poster/public/p1.jpg'],
  ['an IPv6 literal', 'https://[::1]/view/photo/s_ratio_poster/public/p1.jpg'],
  ['user info before another host', 'https://img1.doubanio.com@evil.example/view/photo/p1.jpg'],
  ['plain http', 'http://img1.doubanio.com/view/photo/s_ratio_poster/public/p1.jpg'],
  ['a file URL', 'file:///etc/passwd'],
  ['another port', 'https://img1.doubanio.com:8443/view/photo/s_ratio_poster/public/p1.jpg'],
  ['a path traversal', 'https://img1.doubanio.com/view/../../etc/passwd'],
  ['an encoded traversal', 'https://img1.doubanio.com/view/%2e%2e/%2e%2e/etc/passwd.jpg'],
  ['a CR/LF', 'https://img1.doubanio.com/view/photo/p1.jpg\r\nX-Injected: 1'],
  ['a NUL', 'https://img1.doubanio.com/view/photo/p1.jpg\u0000'],
  ['a very long URL', `https://img1.doubanio.com/view/photo/${long}.jpg`],
];

const cases: Array<{ name: string; path: string; headers?: string[]; error: string; names: RegExp }> = [
  ...cityValues.flatMap(([name, query, error]) =>
    ['/api/movies/stream', '/api/movies'].map((route) => ({
      name: `${route}: ${name}`,
      path: `${route}?${query}`,
      error,
      names: /city.*\/api\/cities/,
    })),
  ),
  ...versionValues.flatMap(([name, value]) => [
    {
      name: `Last-Event-ID header: ${name}`,
      path: shanghai,
      headers: [`Last-Event-ID: ${value}`],
      error: 'bad-last-event-id',
      names: /Last-Event-ID header/,
    },
    {
      name: `lastEventId query: ${name}`,
      path: `${shanghai}&lastEventId=${encodeURIComponent(value)}`,
      error: 'bad-last-event-id',
      names: /lastEventId parameter/,
    },
  ]),
  {
    name: 'a repeated lastEventId query',
    path: `${shanghai}&lastEventId=1&lastEventId=2`,
    error: 'bad-last-event-id',
    names: /more than once/,
  },
  ...posterValues.map(([name, value]) => ({
    name: `/api/poster: ${name}`,
    path: poster(value),
    error: 'bad-poster-url',
    names: /^The url .*Only https:\/\/img<N>\.doubanio\.com\/view\//,
  })),
  { name: '/api/poster: no url', path: '/api/poster', error: 'bad-poster-url', names: /missing/ },
  {
    name: '/api/poster: a repeated url',
    path: `${poster('https://img1.doubanio.com/view/photo/s_ratio_poster/public/p1.jpg')}&url=x`,
    error: 'bad-poster-url',
    names: /more than once/,
  },
];

/** A stand-in for Douban's image hosts that counts what reaches it: a refused URL must not. */
async function startImageOrigin(port: number): Promise<{ server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a', 'hex'));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, hits };
}

describe.each([
  ['npm start (dist/server.js)', 'server', 4530],
  ['next start (the route handler)', 'next-start', 4534],
] as const)('%s', (_, mode, port) => {
  let fake: FakeDouban;
  let images: Awaited<ReturnType<typeof startImageOrigin>>;
  let app: App;

  beforeAll(async () => {
    fake = await startFakeDouban({ port: port + 1 });
    images = await startImageOrigin(port + 2);
    app = await startApp({
      port,
      mode,
      env: {
        DOUBAN_BASE_URL: fake.url,
        DOUBAN_IMAGE_ORIGIN: `http://127.0.0.1:${port + 2}`,
        POLL_INTERVAL_MS: '60000',
        LOG_LEVEL: 'error',
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await new Promise((resolve) => images?.server.close(resolve));
  });

  async function health() {
    const response = await fetch(`${app.url}/api/health`);
    const body = (await response.json()) as { streams: number; cities: Array<{ city: string }> };
    return { status: response.status, streams: body.streams, cities: body.cities.map((c) => c.city) };
  }

  it.each(cases)('$name: a 400 that says what is wrong, and nothing else', async (hostile) => {
    const before = await health();
    const pagesBefore = fake.requests();

    const answer = await sendRaw(app, hostile.path, hostile.headers);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = json(answer);
    expect(body.error).toBe(hostile.error);
    expect(body.message).toMatch(hostile.names);
    if (hostile.error.endsWith('-city')) expect(body.citiesUrl).toBe('/api/cities');

    // Nothing else changed: no board for a new city, no stream left open, nothing fetched.
    expect(await health()).toEqual({ ...before, status: 200, streams: 0 });
    expect(fake.requests()).toBe(pagesBefore);
    expect(images.hits).toEqual([]);
  });

  it.each([
    ['CR/LF', '12\r\n34'],
    ['a bare LF', '12\n34'],
    ['NUL', '12\u000034'],
  ])('refuses a raw %s in the Last-Event-ID header before the app sees it', async (_, value) => {
    const before = await health();
    const answer = await sendRaw(app, shanghai, [`Last-Event-ID: ${value}`]);
    // Node's HTTP parser answers these itself, with a bare 400, and closes the connection.
    expect(answer.status).toBe(400);
    expect(await health()).toEqual({ ...before, status: 200, streams: 0 });
  });

  it('still serves a valid poster, so the counts above would have seen a fetch', async () => {
    const url = 'https://img1.doubanio.com/view/photo/s_ratio_poster/public/p2915454411.jpg';
    const answer = await sendRaw(app, poster(url));
    expect(answer.status).toBe(200);
    expect(images.hits).toEqual(['/view/photo/s_ratio_poster/public/p2915454411.jpg']);
    images.hits.length = 0;
  });
});
