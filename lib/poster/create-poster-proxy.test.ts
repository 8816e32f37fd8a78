import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PosterProxy } from './create-poster-proxy';
import { makePosterKey } from './make-poster-key';
import { toPosterResponse } from './to-poster-response';

// A stand-in for Douban's image host on loopback; each path below is one way it can answer.
const PORT = 4581;
const MB = 1024 * 1024;
const requests = new Map<string, number>();
let releaseGate: () => void = () => {};
const gate = new Promise<void>((resolve) => {
  releaseGate = resolve;
});

const image = (res: ServerResponse, bytes: number, type = 'image/jpeg') => {
  const body = Buffer.alloc(bytes, bytes % 251);
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
  res.end(body);
};

const upstream = createServer((req, res) => {
  const path = req.url ?? '/';
  requests.set(path, (requests.get(path) ?? 0) + 1);
  const sized = /^\/view\/sized\/(\d+)\//.exec(path)?.[1];
  if (sized) return image(res, Number(sized));
  if (path === '/view/photo/good.jpg') return image(res, 5000);
  if (path === '/view/gated.jpg') return void gate.then(() => image(res, 3000));
  if (path === '/view/html.jpg') return image(res, 100, 'text/html; charset=utf-8');
  if (path === '/view/svg.jpg') return image(res, 100, 'image/svg+xml');
  if (path === '/view/announced-3mb.jpg') return image(res, 3 * MB);
  if (path === '/view/chunked-3mb.jpg') {
    res.writeHead(200, { 'Content-Type': 'image/jpeg' }); // no Content-Length: sent chunked
    return void res.end(Buffer.alloc(3 * MB));
  }
  if (path === '/view/to-loopback.jpg') {
    res.writeHead(302, { Location: `http://127.0.0.1:${PORT}/view/redirect-target.jpg` });
    return void res.end();
  }
  if (path === '/view/to-doubanio.jpg') {
    res.writeHead(301, { Location: 'https://img3.doubanio.com/view/redirect-target.jpg' });
    return void res.end();
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
});

const poster = (path: string) => `https://img1.doubanio.com${path}`;
let proxy: import('./create-poster-proxy').PosterProxy;
let metrics: import('@/lib/metrics/metrics').Metrics;
// Read as the route handler answers it.
const answerPoster = async (request: Parameters<PosterProxy['answer']>[0]) =>
  toPosterResponse(await proxy.answer(request));

beforeAll(async () => {
  upstream.listen(PORT, '127.0.0.1');
  await once(upstream, 'listening');
  // lib/env reads process.env once, at import: set it first, then import what reads it.
  process.env.DOUBAN_IMAGE_ORIGIN = `http://127.0.0.1:${PORT}`;
  process.env.DOUBAN_TIMEOUT_MS = '20000';
  vi.resetModules();
  const { createPosterProxy } = await import('./create-poster-proxy');
  metrics = (await import('@/lib/metrics/metrics')).createMetrics();
  proxy = createPosterProxy({ metrics, cacheBytes: 100_000 });
});

afterAll(async () => {
  upstream.closeAllConnections();
  upstream.close();
  await once(upstream, 'close');
});

const refusal = async (path: string) => {
  const error = await answerPoster({ url: poster(path) }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Error);
  return error as { status: number; code: string };
};
const counted = async (outcome: string) =>
  (await metrics.posterRequests.get()).values.find((value) => value.labels.outcome === outcome)?.value ?? 0;

describe('createPosterProxy', () => {
  it('answers an image with a strong ETag, a long immutable Cache-Control, nosniff, its length, for our pages only', async () => {
    const res = await answerPoster({ url: poster('/view/photo/good.jpg') });
    expect(res.status).toBe(200);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-length')).toBe('5000');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d{7,}, immutable$/);
    expect(res.headers.get('etag')).toMatch(/^"[\w-]{20,}"$/);
    expect((await res.arrayBuffer()).byteLength).toBe(5000);
  });

  it('serves the second request from the cache: the upstream sees one request', async () => {
    const first = await answerPoster({ url: poster('/view/sized/6000/a.jpg') });
    const second = await answerPoster({ url: poster('/view/sized/6000/a.jpg') });
    expect(second.status).toBe(200);
    expect(Buffer.from(await second.arrayBuffer())).toEqual(Buffer.from(await first.arrayBuffer()));
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(requests.get('/view/sized/6000/a.jpg')).toBe(1);
  });

  it("answers with the cache's own bytes: many answers of one poster share them, none is a copy", async () => {
    const url = poster('/view/sized/8000/shared.jpg');
    const answers = await Promise.all([1, 2, 3].map(() => proxy.answer({ url })));
    const cached = proxy.cache.get(makePosterKey(new URL(url)));
    for (const answer of answers) expect(answer.body).toBe(cached?.body);
    expect(cached?.body.byteLength).toBe(8000);
  });

  it('answers 304 without a body when If-None-Match names the ETag, weak or in a list', async () => {
    const url = poster('/view/photo/good.jpg');
    const etag = (await answerPoster({ url })).headers.get('etag') as string;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await answerPoster({ url, ifNoneMatch });
      expect(res.status).toBe(304);
      expect(res.headers.get('etag')).toBe(etag);
      expect(await res.text()).toBe('');
    }
    expect((await answerPoster({ url, ifNoneMatch: '"other"' })).status).toBe(200);
  });

  it.each([
    ['text/html', '/view/html.jpg', 'poster-not-an-image'],
    ['image/svg+xml', '/view/svg.jpg', 'poster-not-an-image'],
    ['an oversized image announced by Content-Length', '/view/announced-3mb.jpg', 'poster-too-large'],
    ['an oversized image sent chunked without a length', '/view/chunked-3mb.jpg', 'poster-too-large'],
    ['a missing poster', '/view/photo/missing.jpg', 'poster-upstream-status'],
  ])('refuses %s with a 502 and a code', async (_, path, code) => {
    expect(await refusal(path)).toMatchObject({ status: 502, code });
  });

  it('refuses a redirect and never follows it, to loopback or to another Douban host', async () => {
    expect(await refusal('/view/to-loopback.jpg')).toMatchObject({ status: 502, code: 'poster-redirect' });
    // Followed, this one would end in poster-unreachable (no internet in tests), not poster-redirect.
    expect(await refusal('/view/to-doubanio.jpg')).toMatchObject({ status: 502, code: 'poster-redirect' });
    expect(requests.get('/view/redirect-target.jpg')).toBeUndefined();
  });

  it('remembers a failure for a while instead of asking the upstream again', async () => {
    expect(await refusal('/view/photo/gone.jpg')).toMatchObject({ code: 'poster-upstream-status' });
    expect(await refusal('/view/photo/gone.jpg')).toMatchObject({ code: 'poster-upstream-status' });
    expect(requests.get('/view/photo/gone.jpg')).toBe(1);
  });

  it('lets concurrent requests for an uncached poster share one upstream fetch', async () => {
    const answers = Array.from({ length: 5 }, () => answerPoster({ url: poster('/view/gated.jpg') }));
    // The upstream holds its answer until every request above has started.
    for (let i = 0; i < 200 && requests.get('/view/gated.jpg') === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    releaseGate();
    const responses = await Promise.all(answers);
    expect(responses.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    const bodies = await Promise.all(responses.map(async (res) => (await res.arrayBuffer()).byteLength));
    expect(bodies).toEqual([3000, 3000, 3000, 3000, 3000]);
    expect(requests.get('/view/gated.jpg')).toBe(1);
  });

  it('keeps the cache within its bound: the oldest go first, and the gauge says how full it is', async () => {
    for (const name of ['1', '2', '3', '4', '5', '6'])
      await answerPoster({ url: poster(`/view/sized/20000/${name}.jpg`) });
    expect(proxy.cache.bytes()).toBeLessThanOrEqual(100_000);
    expect((await metrics.posterCacheBytes.get()).values[0]?.value).toBe(proxy.cache.bytes());
    await answerPoster({ url: poster('/view/sized/20000/6.jpg') });
    expect(requests.get('/view/sized/20000/6.jpg')).toBe(1);
    await answerPoster({ url: poster('/view/sized/20000/1.jpg') });
    expect(requests.get('/view/sized/20000/1.jpg')).toBe(2);
  });

  it('does not cache a poster over a quarter of the bound, but still serves it', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await answerPoster({ url: poster('/view/sized/30000/big.jpg') })).status).toBe(200);
    }
    expect(requests.get('/view/sized/30000/big.jpg')).toBe(2);
  });

  it('counts each answer once, as a miss, hit, not-modified or refused', async () => {
    const before = await Promise.all(['miss', 'hit', 'not-modified', 'refused'].map(counted));
    const url = poster('/view/sized/7000/counted.jpg');
    const etag = (await answerPoster({ url })).headers.get('etag');
    await answerPoster({ url });
    await answerPoster({ url, ifNoneMatch: etag });
    await answerPoster({ url: 'https://evil.example/view/x.jpg' }).catch(() => {});
    const after = await Promise.all(['miss', 'hit', 'not-modified', 'refused'].map(counted));
    expect(after.map((value, i) => value - (before[i] as number))).toEqual([1, 1, 1, 1]);
  });

  it('refuses a URL that is not a Douban poster with a 400, without asking the upstream', async () => {
    const total = () => [...requests.values()].reduce((sum, n) => sum + n, 0);
    const before = total();
    const error = await answerPoster({ url: 'https://img1.doubanio.com@127.0.0.1/view/x.jpg' }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ status: 400, code: 'bad-poster-url' });
    expect(total()).toBe(before);
  });
});

describe('createPosterProxy under its fetch budgets', () => {
  // One fetch saved up each (a tenth of a fetch a second): the second new poster waits ten seconds.
  const tight = async (budgets: { fetchesPerSecond: number; fetchesPerClientPerSecond: number }) => {
    const { createPosterProxy } = await import('./create-poster-proxy');
    return createPosterProxy({ metrics, cacheBytes: 100_000, ...budgets });
  };

  it('fetches a photo once whichever image host the page named', async () => {
    for (const n of [1, 3, 9]) {
      const res = await answerPoster({ url: `https://img${n}.doubanio.com/view/sized/4000/hosts.jpg` });
      expect(res.status).toBe(200);
    }
    expect(requests.get('/view/sized/4000/hosts.jpg')).toBe(1);
  });

  it('spends the process budget on misses only: hits and 304s still answer past it', async () => {
    const budgeted = await tight({ fetchesPerSecond: 0.1, fetchesPerClientPerSecond: 0 });
    const url = poster('/view/sized/4100/budget.jpg');
    const first = await budgeted.answer({ url, client: '10.0.0.1' });
    const etag = first.headers.ETag;
    const before = await counted('budget');
    const error = await budgeted
      .answer({ url: poster('/view/sized/4100/other.jpg'), client: '10.0.0.2' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 503, code: 'poster-budget' });
    expect(Number((error as { headers: Record<string, string> }).headers['Retry-After'])).toBeGreaterThan(0);
    expect(await counted('budget')).toBe(before + 1);
    expect(requests.get('/view/sized/4100/other.jpg')).toBeUndefined();
    expect((await budgeted.answer({ url, client: '10.0.0.2' })).status).toBe(200);
    expect((await budgeted.answer({ url, ifNoneMatch: etag, client: '10.0.0.3' })).status).toBe(304);
    expect(requests.get('/view/sized/4100/budget.jpg')).toBe(1);
  });

  it("refuses one client's new posters past its budget with a 429, not another client's", async () => {
    const budgeted = await tight({ fetchesPerSecond: 0, fetchesPerClientPerSecond: 0.1 });
    expect(
      (await budgeted.answer({ url: poster('/view/sized/4200/a.jpg'), client: '10.0.0.1' })).status,
    ).toBe(200);
    const error = await budgeted
      .answer({ url: poster('/view/sized/4200/b.jpg'), client: '10.0.0.1' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 429, code: 'poster-client-budget' });
    expect(
      (await budgeted.answer({ url: poster('/view/sized/4200/b.jpg'), client: '10.0.0.2' })).status,
    ).toBe(200);
    // Now cached: the first client gets it without spending.
    expect(
      (await budgeted.answer({ url: poster('/view/sized/4200/b.jpg'), client: '10.0.0.1' })).status,
    ).toBe(200);
    expect(requests.get('/view/sized/4200/b.jpg')).toBe(1);
  });

  it('lets a client hold at most 32 answers unwritten: the 33rd is refused until one is released', async () => {
    const budgeted = await tight({ fetchesPerSecond: 0, fetchesPerClientPerSecond: 0 });
    const url = poster('/view/sized/4300/held.jpg');
    // A client that never reads: each answer keeps its place until the writer releases it.
    const held = [];
    for (let i = 0; i < 32; i++) held.push(await budgeted.answer({ url, client: '10.0.0.1' }));
    const error = await budgeted.answer({ url, client: '10.0.0.1' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 429, code: 'poster-client-busy' });
    // Another client is not held back by it.
    expect((await budgeted.answer({ url, client: '10.0.0.2' })).status).toBe(200);
    held[0]?.release();
    held[0]?.release();
    expect((await budgeted.answer({ url, client: '10.0.0.1' })).status).toBe(200);
    await expect(budgeted.answer({ url, client: '10.0.0.1' })).rejects.toMatchObject({
      code: 'poster-client-busy',
    });
  });
});
