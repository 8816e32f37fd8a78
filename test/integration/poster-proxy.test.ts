import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDouban, startFakeDouban } from '@/scripts/fake-douban/start-fake-douban';
import { metricSample, readMetricsText } from './metric-sample';
import { type App, startApp } from './start-app';

// The poster proxy through HTTP, with the fake Douban playing the image host: it refuses what it must
// not fetch, and caches and validates what it may. On the production server (`npm start`, which
// writes posters straight to the socket) and on `next start` (the route handler, as on Vercel).
const GOOD = 'https://img2.doubanio.com/view/photo/s_ratio_poster/public/p2915454411.jpg';

describe.each([
  ['npm start (dist/server.js)', 'server', 4590],
  ['next start (the route handler)', 'next-start', 4592],
] as const)('GET /api/poster on %s', (_, mode, port) => {
  let fake: FakeDouban;
  let app: App;

  beforeAll(async () => {
    fake = await startFakeDouban({ port });
    app = await startApp({
      port: port + 1,
      mode,
      env: {
        DOUBAN_BASE_URL: fake.url,
        DOUBAN_IMAGE_ORIGIN: fake.url,
        DOUBAN_TIMEOUT_MS: '10000',
        LOG_LEVEL: 'error',
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  const getPoster = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/poster?url=${encodeURIComponent(url)}`, { headers });

  it.each([
    ['no url', ''],
    ['another host', 'https://evil.example/view/photo/p1.jpg'],
    ['a look-alike host', 'https://img1.doubanio.com.evil.example/view/photo/p1.jpg'],
    ['a host with a trailing dot', 'https://img1.doubanio.com./view/photo/p1.jpg'],
    ['a userinfo trick', 'https://img1.doubanio.com@evil.example/view/photo/p1.jpg'],
    ['a userinfo trick to loopback', 'https://img1.doubanio.com@127.0.0.1/view/photo/p1.jpg'],
    ['credentials', 'https://user:pass@img1.doubanio.com/view/photo/p1.jpg'],
    ['an IPv4 literal', 'https://127.0.0.1/view/photo/p1.jpg'],
    ['a decimal IPv4 literal', 'https://2130706433/view/photo/p1.jpg'],
    ['an IPv6 literal', 'https://[::1]/view/photo/p1.jpg'],
    ['a metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['plain http', 'http://img1.doubanio.com/view/photo/p1.jpg'],
    ['a file URL', 'file:///etc/passwd'],
    ['an ftp URL', 'ftp://img1.doubanio.com/view/photo/p1.jpg'],
    ['a data URL', 'data:image/png;base64,iVBORw0KGgo='],
    ['a javascript URL', 'javascript:alert(1)'],
    ['another port', 'https://img1.doubanio.com:8443/view/photo/p1.jpg'],
    ['another path', 'https://img1.doubanio.com/icon/u1.jpg'],
    ['an encoded traversal', 'https://img1.doubanio.com/view/%2e%2e/%2e%2e/etc/passwd'],
    ['a very long URL', `https://img1.doubanio.com/view/${'a'.repeat(5000)}.jpg`],
  ])('refuses %s with a 400 JSON error and fetches nothing', async (_, url) => {
    const response = await getPoster(url);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: 'bad-poster-url' });
    expect(fake.posterRequests()).toEqual([]);
  });

  it('serves a poster with an ETag, then a 304 without a body for If-None-Match, from its cache', async () => {
    const response = await getPoster(GOOD);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d{7,}, immutable$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Next drops Content-Length from route handler answers; the production server sends it.
    if (mode === 'server') expect(response.headers.get('content-length')).toBe(String(bytes.length));
    const etag = response.headers.get('etag') as string;
    expect(etag).toMatch(/^"[\w-]{20,}"$/);

    const again = await getPoster(GOOD, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    // Answered from the cache's own bytes, which the first answer left whole.
    const third = await getPoster(GOOD);
    expect(Buffer.from(await third.arrayBuffer()).equals(bytes)).toBe(true);
    // Both answers came from one fetch of Douban's image host.
    expect(fake.posterRequests()).toEqual(['/view/photo/s_ratio_poster/public/p2915454411.jpg']);
  });

  it.each([
    ['a redirect to loopback', 'redirect-loopback', 'poster-redirect'],
    ['a redirect to another Douban image host', 'redirect-doubanio', 'poster-redirect'],
    ['an HTML page', 'html', 'poster-not-an-image'],
    ['an SVG image', 'svg', 'poster-not-an-image'],
    ['an oversized image', 'oversized', 'poster-too-large'],
    ['an oversized image sent without a length', 'oversized-chunked', 'poster-too-large'],
    ['a missing poster', 'missing', 'poster-upstream-status'],
  ])('answers %s from the image host with a 502 and a JSON code', async (_, kind, code) => {
    const response = await getPoster(`https://img1.doubanio.com/view/fake/${kind}.jpg`);
    expect(response.status).toBe(502);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: code });
    expect(fake.posterRequests()).toContain(`/view/fake/${kind}.jpg`);
    // A followed redirect to loopback would have fetched this good poster from the fake.
    expect(fake.posterRequests()).not.toContain('/view/fake/redirect-target.jpg');
  });

  it('reports poster answers and the cache size in /api/metrics', async () => {
    const text = await readMetricsText(app.url);
    const requests = (outcome: string) => metricSample(text, 'nowshowing_poster_requests_total', { outcome });
    expect(requests('refused')).toBe(27);
    expect(requests('miss')).toBe(1);
    expect(requests('not-modified')).toBe(1);
    expect(metricSample(text, 'nowshowing_poster_cache_bytes')).toBeGreaterThan(0);
  });
});
