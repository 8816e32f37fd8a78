import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HTMLElement, parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeDouban, startFakeDouban } from './start-fake-douban';
import type { FAKE_MODES } from './types';

const fixtures = fileURLToPath(new URL('../../fixtures/douban/', import.meta.url));
const recorded = (name: string) => readFileSync(path.join(fixtures, name));
const SHANGHAI = recorded('nowplaying-shanghai.html');
const SHANGRAO = recorded('nowplaying-shangrao-2018.html');
const INTERSTITIAL = recorded('login-redirect-interstitial.html');

let fake: FakeDouban;
beforeEach(async () => {
  fake = await startFakeDouban();
});
afterEach(async () => {
  await fake.close();
});

async function get(pathname: string, init?: RequestInit) {
  const res = await fetch(`${fake.url}${pathname}`, init);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
const page = async (city: string) => (await get(`/cinema/nowplaying/${city}/`)).body.toString('utf8');
const items = (html: string) => parse(html).querySelectorAll('#nowplaying li.list-item');
const itemOf = (html: string, id: string) => items(html).find((li) => li.id === id);
const control = (pathname: string, body: unknown) =>
  fetch(`${fake.url}/__fake/${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The page outside one item: what must stay byte-identical when only that item changes. */
function outside(html: string, id: string): [string, string] {
  const li = itemOf(html, id) as HTMLElement;
  return [html.slice(0, li.range[0]), html.slice(li.range[1])];
}

describe('startFakeDouban', () => {
  it('serves the recorded pages byte-identical while nothing changed', async () => {
    for (const [city, bytes] of [
      ['shanghai', SHANGHAI],
      ['shangrao', SHANGRAO],
      ['beijing', SHANGHAI],
    ] as const) {
      const res = await get(`/cinema/nowplaying/${city}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.body.equals(bytes)).toBe(true);
    }
    expect(items(await page('shanghai'))).toHaveLength(85);
    expect(items(await page('shangrao'))).toHaveLength(21);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    expect((await get('/')).status).toBe(404);
    expect((await get('/cinema/later/shanghai/')).status).toBe(404);
    expect((await get('/cinema/nowplaying/Shang%20Hai/')).status).toBe(404);
    expect((await get('/cinema/nowplaying/shanghai/', { method: 'POST' })).status).toBe(405);
    expect(fake.requests()).toBe(0);
  });

  it('changes exactly one item when a score changes, in every place the page shows it', async () => {
    const before = await page('shanghai');
    fake.setScore({ city: 'shanghai', id: '36934908', score: 7.1 });
    const after = await page('shanghai');
    expect(outside(after, '36934908')).toEqual(outside(before, '36934908'));
    const li = itemOf(after, '36934908') as HTMLElement;
    expect(li.getAttribute('data-score')).toBe('7.1');
    expect(li.getAttribute('data-star')).toBe('35');
    expect(li.getAttribute('data-enough')).toBe('True');
    expect(li.getAttribute('data-votecount')).toBe('198173');
    expect(li.querySelector('.rating-star')?.classList.contains('allstar35')).toBe(true);
    expect(li.querySelector('.subject-rate')?.text).toBe('7.1');
    expect(await page('shangrao')).toBe(SHANGRAO.toString('utf8'));
  });

  it('makes a movie unrated with a null score, and rated again', async () => {
    fake.setScore({ city: 'shanghai', id: '36154853', score: null });
    let li = itemOf(await page('shanghai'), '36154853') as HTMLElement;
    expect([
      li.getAttribute('data-score'),
      li.getAttribute('data-star'),
      li.getAttribute('data-enough'),
    ]).toEqual(['0', '00', 'False']);
    expect(li.querySelector('.subject-rate')).toBeNull();
    expect(li.querySelector('.text-tip')?.text).toBe('暂无评分');

    // The 2018 page writes one attribute per line and has its own 暂无评分 layout.
    const unrated = items(await page('shangrao')).find(
      (item) => item.getAttribute('data-enough') === 'False',
    );
    const id = unrated?.id as string;
    fake.setScore({ city: 'shangrao', id, score: 6.2 });
    li = itemOf(await page('shangrao'), id) as HTMLElement;
    expect([
      li.getAttribute('data-score'),
      li.getAttribute('data-star'),
      li.getAttribute('data-enough'),
    ]).toEqual(['6.2', '35', 'True']);
    expect(li.querySelector('.subject-rate')?.text).toBe('6.2');
    expect(li.querySelector('.rating-star')?.classList.contains('allstar35')).toBe(true);
    expect(li.querySelector('.text-tip')).toBeNull();
  });

  it('adds a movie cloned from the page under a new id, title and score', async () => {
    fake.addMovie({ city: 'shanghai', id: '1234567', title: 'Tom & "Jerry" <3', score: 8.8 });
    const html = await page('shanghai');
    expect(items(html)).toHaveLength(86);
    const li = itemOf(html, '1234567') as HTMLElement;
    expect(li.getAttribute('class')).toBe('list-item');
    expect(li.getAttribute('data-subject')).toBe('1234567');
    expect(li.getAttribute('data-title')).toBe('Tom & "Jerry" <3');
    expect(li.getAttribute('data-score')).toBe('8.8');
    expect(li.getAttribute('data-star')).toBe('45');
    expect(li.querySelector('.stitle a')?.getAttribute('title')).toBe('Tom & "Jerry" <3');
    expect(li.querySelector('.stitle a')?.text.trim()).toBe('Tom & "Jerry" <3');
    expect(li.querySelector('.stitle a')?.rawText.trim()).toBe('Tom &amp; &quot;Jerry&quot; &lt;3');
    expect(li.querySelector('.poster img')?.getAttribute('alt')).toBe('Tom & "Jerry" <3');
    expect(li.querySelector('.poster a')?.getAttribute('href')).toBe(
      'https://movie.douban.com/subject/1234567/?from=playing_poster',
    );
    expect(li.querySelector('.sbtn a')?.getAttribute('href')).toBe(
      'https://movie.douban.com/ticket/redirect/?movie_id=1234567',
    );
    expect(li.querySelector('.subject-rate')?.text).toBe('8.8');
    // The template keeps its own id everywhere.
    expect((itemOf(html, '36154853') as HTMLElement).getAttribute('data-subject')).toBe('36154853');
    expect(() => fake.addMovie({ city: 'shanghai', id: '1234567', title: 'again', score: null })).toThrow(
      /already/,
    );
  });

  it('adds a movie with the cast it is given, past the app’s caps', async () => {
    const actors = Array.from({ length: 101 }, (_, i) => `演员 ${i}`);
    const id = '1'.repeat(22);
    fake.addMovie({ city: 'shanghai', id, title: '长'.repeat(600), score: 7, actors });
    const li = itemOf(await page('shanghai'), id) as HTMLElement;
    expect(li.getAttribute('data-actors')?.split(' / ')).toEqual(actors);
    expect(li.getAttribute('data-title')).toHaveLength(600);
    expect(
      (await control('add', { city: 'shanghai', id: '2', title: 'x', score: 7, actors: ['a / b'] })).status,
    ).toBe(400);
  });

  it('lists a movie now playing in upcoming too, first there', async () => {
    fake.listAlsoUpcoming({ city: 'shangrao', id: '27201353' });
    const html = await page('shangrao');
    expect(itemOf(html, '27201353')).toBeDefined();
    const upcoming = parse(html).querySelectorAll('#upcoming li.list-item');
    expect(upcoming[0]?.id).toBe('27201353');
    expect(upcoming).toHaveLength(11);
    expect((await control('also-upcoming', { city: 'shangrao', id: '404' })).status).toBe(404);
  });

  it('removes a whole item, and nothing else', async () => {
    const before = await page('shangrao');
    const [head, tail] = outside(before, '27201353');
    fake.removeMovie({ city: 'shangrao', id: '27201353' });
    const after = await page('shangrao');
    expect(items(after)).toHaveLength(20);
    expect(itemOf(after, '27201353')).toBeUndefined();
    expect(after).toBe(head.trimEnd() + tail);
    expect(() => fake.removeMovie({ city: 'shangrao', id: '27201353' })).toThrow(/not in #nowplaying/);
  });

  it('keeps each city its own page', async () => {
    fake.removeMovie({ city: 'beijing', id: '36154853' });
    expect(items(await page('beijing'))).toHaveLength(84);
    expect((await get('/cinema/nowplaying/shanghai/')).body.equals(SHANGHAI)).toBe(true);
  });

  it('answers every mode as specified', async () => {
    const cases: [string, number, (body: Buffer) => void][] = [
      ['http-403', 403, () => {}],
      ['http-418', 418, () => {}],
      ['http-500', 500, () => {}],
      ['antibot-200', 200, (body) => expect(body.equals(INTERSTITIAL)).toBe(true)],
      ['antibot-403', 403, (body) => expect(body.equals(INTERSTITIAL)).toBe(true)],
      [
        'truncated',
        200,
        (body) => {
          const text = body.toString('utf8');
          expect(SHANGHAI.toString('utf8').startsWith(text)).toBe(true);
          expect(text.length).toBe(Math.floor(SHANGHAI.toString('utf8').length / 2));
        },
      ],
      ['ok', 200, (body) => expect(body.equals(SHANGHAI)).toBe(true)],
    ];
    for (const [mode, status, check] of cases) {
      fake.setMode({ mode: mode as (typeof FAKE_MODES)[number] });
      const res = await get('/cinema/nowplaying/shanghai/');
      expect([mode, res.status]).toEqual([mode, status]);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      check(res.body);
    }
  });

  it('redirects to sec.douban.com in redirect mode, as Douban does to a flagged client', async () => {
    fake.setMode({ mode: 'redirect' });
    const res = await fetch(`${fake.url}/cinema/nowplaying/shanghai/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '').host).toBe('sec.douban.com');
  });

  it('serves the current page as GB18030 in gb18030 mode, declared in Content-Type', async () => {
    fake.removeMovie({ city: 'shanghai', id: '36154853' });
    const utf8 = await page('shanghai');
    fake.setMode({ mode: 'gb18030' });
    const res = await get('/cinema/nowplaying/shanghai/');
    expect(res.headers.get('content-type')).toBe('text/html; charset=GB18030');
    expect(res.body.equals(SHANGHAI)).toBe(false);
    expect(new TextDecoder('gb18030').decode(res.body)).toBe(utf8);
  });

  it('never answers in timeout mode, until the mode changes', async () => {
    fake.setMode({ city: 'shanghai', mode: 'timeout' });
    const silent = fetch(`${fake.url}/cinema/nowplaying/shanghai/`, { signal: AbortSignal.timeout(300) });
    await expect(silent).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await get('/cinema/nowplaying/shangrao/')).status).toBe(200);

    const waiting = get('/cinema/nowplaying/shanghai/');
    while (fake.requests('shanghai') < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    fake.setMode({ mode: 'http-418' });
    expect((await waiting).status).toBe(418);
  });

  it('answers a city slowly when told, logging when each answer left; a delay can be lifted', async () => {
    expect((await control('delay', { city: 'shanghai', ms: 300 })).status).toBe(200);
    const slow = get('/cinema/nowplaying/shanghai/');
    // Other cities are not delayed: this answer leaves while Shanghai's is held.
    expect((await get('/cinema/nowplaying/beijing/')).status).toBe(200);
    const [held] = fake.requestLog().filter((entry) => entry.city === 'shanghai');
    expect(held?.answeredAt).toBeNull();
    expect((await slow).body.equals(SHANGHAI)).toBe(true);
    expect((held?.answeredAt as number) - (held?.at as number)).toBeGreaterThanOrEqual(300);
    fake.setDelay({ ms: 0 });
    await get('/cinema/nowplaying/shanghai/');
    const last = fake.requestLog().at(-1);
    expect(last?.answeredAt).not.toBeNull();
    expect((await control('delay', { ms: -1 })).status).toBe(400);
  });

  it('lets a mode without a city override every city, and a city mode override that', async () => {
    fake.setMode({ city: 'shangrao', mode: 'http-500' });
    expect((await get('/cinema/nowplaying/shangrao/')).status).toBe(500);
    expect((await get('/cinema/nowplaying/shanghai/')).status).toBe(200);
    fake.setMode({ mode: 'http-403' });
    expect((await get('/cinema/nowplaying/shangrao/')).status).toBe(403);
    fake.setMode({ city: 'shanghai', mode: 'ok' });
    expect((await get('/cinema/nowplaying/shanghai/')).status).toBe(200);
    expect((await get('/cinema/nowplaying/xian/')).status).toBe(403);
  });

  it('counts page requests per city and logs their headers', async () => {
    const headers = { 'user-agent': 'NowShowing/test', referer: 'https://movie.douban.com/' };
    await get('/cinema/nowplaying/shanghai/', { headers });
    await get('/cinema/nowplaying/shanghai/');
    await get('/cinema/nowplaying/shangrao/');
    await get('/nothing');
    expect([
      fake.requests(),
      fake.requests('shanghai'),
      fake.requests('shangrao'),
      fake.requests('xian'),
    ]).toEqual([3, 2, 1, 0]);
    const [first] = fake.requestLog();
    expect(first?.city).toBe('shanghai');
    expect(first?.headers['user-agent']).toBe('NowShowing/test');
    expect(first?.headers.referer).toBe('https://movie.douban.com/');
    expect(Math.abs((first?.at ?? 0) - Date.now())).toBeLessThan(5_000);
  });

  it('resets to the recorded pages, mode ok and no requests', async () => {
    fake.setScore({ city: 'shanghai', id: '36154853', score: 1.5 });
    fake.removeMovie({ city: 'shangrao', id: '27201353' });
    fake.setMode({ mode: 'http-500' });
    await get('/cinema/nowplaying/shanghai/');
    fake.reset();
    expect(fake.requests()).toBe(0);
    expect(fake.requestLog()).toEqual([]);
    expect((await get('/cinema/nowplaying/shanghai/')).body.equals(SHANGHAI)).toBe(true);
    expect((await get('/cinema/nowplaying/shangrao/')).body.equals(SHANGRAO)).toBe(true);
  });

  it('rejects bad input from TypeScript callers too', () => {
    expect(() => fake.setScore({ city: 'shanghai', id: '36154853', score: 11 })).toThrow(/score/);
    expect(() => fake.setScore({ city: '上海', id: '36154853', score: 5 })).toThrow(/city/);
    expect(() => fake.setMode({ mode: 'slow' as 'ok' })).toThrow(/mode/);
  });
});

describe('the control plane', () => {
  it('changes pages and modes over HTTP', async () => {
    expect(await (await fetch(`${fake.url}/__fake/health`)).json()).toEqual({ ok: true });

    expect((await control('score', { city: 'shanghai', id: '36154853', score: 6.6 })).status).toBe(200);
    expect(itemOf(await page('shanghai'), '36154853')?.getAttribute('data-score')).toBe('6.6');
    expect((await control('score', { city: 'shanghai', id: '36154853', score: null })).status).toBe(200);
    expect(itemOf(await page('shanghai'), '36154853')?.getAttribute('data-enough')).toBe('False');

    expect((await control('add', { city: 'shangrao', id: '42', title: '新片', score: 7 })).status).toBe(200);
    expect(itemOf(await page('shangrao'), '42')?.getAttribute('data-title')).toBe('新片');
    const removed = await control('remove', { city: 'shangrao', id: '42' });
    expect([removed.status, await removed.json()]).toEqual([200, { ok: true }]);
    expect(items(await page('shangrao'))).toHaveLength(21);

    expect((await control('mode', { city: 'shangrao', mode: 'antibot-403' })).status).toBe(200);
    expect((await get('/cinema/nowplaying/shangrao/')).status).toBe(403);
    expect((await control('mode', { mode: 'http-418' })).status).toBe(200);
    expect((await get('/cinema/nowplaying/shanghai/')).status).toBe(418);

    const count = async (query: string) => await (await fetch(`${fake.url}/__fake/requests${query}`)).json();
    expect(await count('')).toEqual({ count: 6 });
    expect(await count('?city=shangrao')).toEqual({ count: 3 });
    const log = await (await fetch(`${fake.url}/__fake/log?city=shangrao`)).json();
    expect(log.requests).toHaveLength(3);

    expect((await control('reset', {})).status).toBe(200);
    expect(await count('')).toEqual({ count: 0 });
    expect((await get('/cinema/nowplaying/shanghai/')).body.equals(SHANGHAI)).toBe(true);
  });

  it('answers 400 for bad bodies, 404 for unknown movies, 409 for duplicates', async () => {
    const bad: unknown[] = [
      ['score', { city: 'shanghai', id: '36154853' }],
      ['score', { city: 'shanghai', id: '36154853', score: '7.0' }],
      ['score', { city: 'shanghai', id: 36154853, score: 7 }],
      ['score', { id: '36154853', score: 7 }],
      ['score', 'not json'],
      ['score', '[1, 2]'],
      ['add', { city: 'shanghai', id: '1', title: '', score: 7 }],
      ['add', { city: 'shanghai', id: '1', title: 'x', score: 0 }],
      ['remove', { city: '../etc', id: '1' }],
      ['mode', { mode: 'slow' }],
      ['mode', { city: 'SHANGHAI', mode: 'ok' }],
    ];
    for (const [endpoint, body] of bad as [string, unknown][]) {
      const res = await control(endpoint, body);
      expect([endpoint, body, res.status]).toEqual([endpoint, body, 400]);
      expect(typeof (await res.json()).error).toBe('string');
    }
    expect((await control('score', { city: 'shanghai', id: '1', score: 7 })).status).toBe(404);
    expect((await control('remove', { city: 'shanghai', id: '1' })).status).toBe(404);
    expect((await control('add', { city: 'shanghai', id: '36154853', title: 'x', score: 7 })).status).toBe(
      409,
    );
    expect((await fetch(`${fake.url}/__fake/score`)).status).toBe(405);
    expect((await control('nothing', {})).status).toBe(404);
    expect((await get('/cinema/nowplaying/shanghai/')).body.equals(SHANGHAI)).toBe(true);
  });
});

describe('close()', () => {
  it('closes the server: later requests are refused', async () => {
    const { url } = fake;
    await fake.close();
    await expect(fetch(`${url}/__fake/health`)).rejects.toThrow();
  });

  it('leaves nothing that keeps the process alive, even a request held in timeout mode', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fake-douban-'));
    const script = path.join(dir, 'hold-and-close.ts');
    const entry = fileURLToPath(new URL('./start-fake-douban.ts', import.meta.url));
    await writeFile(
      script,
      `import { request } from 'node:http';
import { startFakeDouban } from ${JSON.stringify(entry)};
async function main() {
  const fake = await startFakeDouban({ driftMs: 20 });
  fake.setMode({ mode: 'timeout' });
  const req = request(fake.url + '/cinema/nowplaying/shanghai/', { agent: false });
  req.on('error', () => console.log('held request cut'));
  req.end();
  while (fake.requests() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await fake.close();
  console.log('closed');
}
void main();
`,
    );
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd() });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      clearTimeout(killer);
      expect(output).toContain('closed');
      expect(output).toContain('held request cut');
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
