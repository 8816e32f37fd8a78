import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@/lib/metrics/metrics';
import { buildParseWorker } from '@/test/build-parse-worker';
import { createInlineParser } from './create-inline-parser';
import { createParsePool } from './create-parse-pool';
import type { PageParser } from './page-parser';
import { parseNowPlaying } from './parse-now-playing';
import type { PageBody } from './parse-page';
import { UpstreamError } from './upstream-error';

const readFixture = (file: string) => readFileSync(new URL(`../../fixtures/douban/${file}`, import.meta.url));
const shangrao = readFixture('nowplaying-shangrao-2018.html').toString('utf8');
const utf8 = (html: string): PageBody => ({
  bytes: Buffer.from(html),
  contentType: 'text/html; charset=utf-8',
});

/** A legal page of 3.6 MB: the Shangrao page with 1,500 more copies of its first movie. */
const item = /<li\s+id="27201353"[\s\S]*?<\/ul>\s*<\/li>/.exec(shangrao)?.[0] as string;
const copies = Array.from({ length: 1_500 }, (_, i) => item.replaceAll('27201353', String(90_000_000 + i)));
const largePage = utf8(shangrao.replace(item, `${item}${copies.join('')}`));

/** The reason of the UpstreamError (of this thread's class) that `promise` rejects with. */
async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('the parse succeeded'),
    (caught: unknown) => caught,
  );
  if (error instanceof UpstreamError) return error.reason;
  throw error;
}

/** Which comes first: `parser`'s answer on `body`, or a setImmediate scheduled right after asking. */
async function firstOf(parser: PageParser, body: PageBody): Promise<string[]> {
  const order: string[] = [];
  const parsed = parser.parse(body).then(() => order.push('parsed'));
  const immediate = new Promise<void>((resolve) => setImmediate(() => resolve(void order.push('immediate'))));
  await Promise.all([parsed, immediate]);
  return order;
}

let workerFile: string;
let testWorkerFile: string;
const pools: PageParser[] = [];
const poolOf = (options: Partial<Parameters<typeof createParsePool>[0]> = {}) => {
  const pool = createParsePool({ workerFile, timeoutMs: 10_000, idleTimeoutMs: 1_000, ...options });
  pools.push(pool);
  return pool;
};

beforeAll(async () => {
  ({ workerFile, testWorkerFile } = await buildParseWorker());
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

describe('createParsePool', () => {
  it("parses Douban's page into the movies the main thread finds", async () => {
    expect(await poolOf().parse(utf8(shangrao))).toEqual(parseNowPlaying(shangrao));
  });

  it('leaves the event loop free while it parses a page of a few megabytes', async () => {
    expect(largePage.bytes.byteLength).toBeGreaterThan(3_000_000);
    expect(await firstOf(poolOf(), largePage)).toEqual(['immediate', 'parsed']);
    // Where the worker is not built the same parse holds the loop: nothing else runs before it ends.
    expect(await firstOf(createInlineParser(), largePage)).toEqual(['parsed', 'immediate']);
  });

  it("brings each of the parser's reasons back unchanged, as an UpstreamError of this thread", async () => {
    const pool = poolOf();
    const cases: Array<[PageBody, string]> = [
      [utf8(`<html><body>${'<div>'.repeat(300)}</body></html>`), 'too-deep'],
      [{ bytes: readFixture('login-redirect-interstitial.html'), contentType: 'text/html' }],
      [utf8(shangrao.slice(0, 40_000)), 'truncated-page'],
      [utf8(shangrao.replace(/<li\s+id="\d+"[\s\S]*?<\/ul>\s*<\/li>/g, '')), 'empty-page'],
      [{ bytes: Buffer.from(shangrao), contentType: 'text/html; charset=x-klingon' }, 'unknown-charset'],
    ].map(([body, reason]) => [body as PageBody, (reason as string | undefined) ?? 'not-a-nowplaying-page']);
    for (const [body, reason] of cases) expect(await reasonOf(pool.parse(body))).toBe(reason);
  });

  it("adds the worker's counts of dropped items and cut fields to the main thread's metrics", async () => {
    const metrics = createMetrics();
    const html = shangrao
      .replace('id="27021609"', 'id="27201353"')
      .replace('data-subject="27021609"', 'data-subject="27201353"')
      .replace('data-title="大师兄"', `data-title="${'大'.repeat(600)}"`);
    const pool = poolOf({ metrics });
    await pool.parse(utf8(html));
    await pool.parse(largePage);
    const value = async (counter: 'parserItemsDropped' | 'parserFieldsTrimmed', label: string) =>
      (await metrics[counter].get()).values.find((entry) => Object.values(entry.labels).includes(label))
        ?.value;
    expect(await value('parserItemsDropped', 'in-both-lists')).toBe(1);
    expect(await value('parserFieldsTrimmed', 'title')).toBe(1);
    // 21 + 1,500 movies now playing and 10 upcoming, of which 1,000 are kept.
    expect(await value('parserItemsDropped', 'too-many-movies')).toBe(531);
    const seconds = (await metrics.parseSeconds.get()).values;
    expect(seconds.find((entry) => entry.metricName?.endsWith('_count'))?.labels.thread).toBe('worker');
  });

  it('stops a parse that runs past its time (parse-timeout) and parses the next on a fresh thread', async () => {
    const pool = poolOf({ workerFile: testWorkerFile, timeoutMs: 300 });
    const startedAt = Date.now();
    expect(await reasonOf(pool.parse({ bytes: new Uint8Array(), contentType: 'test/block' }))).toBe(
      'parse-timeout',
    );
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    // The one thread was looping forever: only a new thread can answer this.
    expect((await pool.parse(utf8(shangrao))).nowPlaying).toHaveLength(21);
  });

  it('fails a parse whose thread crashes or throws (parse-failed), and goes on parsing', async () => {
    const pool = poolOf({ workerFile: testWorkerFile });
    expect(await reasonOf(pool.parse({ bytes: new Uint8Array(), contentType: 'test/crash' }))).toBe(
      'parse-failed',
    );
    expect(await reasonOf(pool.parse({ bytes: new Uint8Array(), contentType: 'test/throw' }))).toBe(
      'parse-failed',
    );
    expect((await pool.parse(utf8(shangrao))).nowPlaying).toHaveLength(21);
  });

  it('refuses a parse beyond its bound of pages waiting (parse-busy)', async () => {
    // The bound also covers the next parse's fresh thread, whose start took over 300 ms on a loaded
    // machine (the test failed there at 300).
    const pool = poolOf({ workerFile: testWorkerFile, timeoutMs: 1_500, maxPending: 2 });
    const blocked = [1, 2].map(() =>
      reasonOf(pool.parse({ bytes: new Uint8Array(), contentType: 'test/block' })),
    );
    expect(await reasonOf(pool.parse(utf8(shangrao)))).toBe('parse-busy');
    expect(await Promise.all(blocked)).toEqual(['parse-timeout', 'parse-timeout']);
    expect((await pool.parse(utf8(shangrao))).nowPlaying).toHaveLength(21);
  });
});
