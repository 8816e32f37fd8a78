import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '@/test/thrown-by';
import { measureNesting } from './measure-nesting';
import { parseNowPlaying } from './parse-now-playing';
import { UpstreamError } from './upstream-error';

const page = readFileSync(
  fileURLToPath(new URL('../../fixtures/douban/nowplaying-shangrao-2018.html', import.meta.url)),
  'utf8',
);
/** The cap on a page's size (fetch-now-playing.ts): nothing larger reaches the parser. */
const MAX_PAGE = 5 * 1024 * 1024;
/**
 * What a page of up to 5 MB may take at most, hostile or not. Generous (a 5 MB page parses in about
 * a second here, a real one in 15 ms): the parser's quadratic paths take minutes on these pages.
 */
const BOUND_MS = 5_000;

/** Parses `html` (or learns why it is refused), and how long that took. */
function timed(html: string): { ms: number; outcome: string } {
  expect(html.length).toBeLessThanOrEqual(MAX_PAGE);
  const start = performance.now();
  let outcome: string;
  try {
    outcome = `${parseNowPlaying(html).nowPlaying.length} now playing`;
  } catch (error) {
    outcome = thrownBy(UpstreamError, () => {
      throw error;
    }).reason;
  }
  return { ms: performance.now() - start, outcome };
}

const firstItem = /<li\s+id="26636712"[\s\S]*?<\/ul>\s*<\/li>/.exec(page)?.[0] as string;

describe('parseNowPlaying on hostile pages of up to 5 MB', () => {
  it.each([
    'data-actors',
    'data-title',
    'data-director',
    'data-region',
    'data-duration',
    'data-score',
    'data-votecount',
    'data-release',
  ])('reads a page whose %s holds a megabyte of spaces without a slash', (attribute) => {
    const html = page.replace(`${attribute}="`, `${attribute}="a${' '.repeat(1_000_000)}b `);
    const { ms, outcome } = timed(html);
    expect(outcome).toBe('21 now playing');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('splits actors at " / " only, in one pass', () => {
    const actors = `${' / '.repeat(100_000)}AC/DC /  x  / ${' '.repeat(100_000)}/ y`;
    const html = page.replace(/data-actors="[^"]*"/, `data-actors="${actors}"`);
    const { ms } = timed(html);
    expect(parseNowPlaying(html).nowPlaying[0]?.actors).toEqual(['AC/DC', 'x', 'y']);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it.each([
    ['100,000 unclosed <div>s before the lists', page.replace('<body>', `<body>${'<div>'.repeat(100_000)}`)],
    [
      '50,000 nested <span>s inside an item',
      page.replace('<li class="stitle">', `<li class="stitle">${'<span>'.repeat(50_000)}`),
    ],
  ])('refuses %s as too-deep, before the HTML parser sees it', (_, html) => {
    const { ms, outcome } = timed(html);
    expect(outcome).toBe('too-deep');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('reads a 5 MB page of as many items as fit, each listed once', () => {
    const copies = Math.floor((MAX_PAGE - page.length) / firstItem.length);
    const items = Array.from({ length: copies }, (_, i) =>
      firstItem.replaceAll('26636712', String(90_000_000 + i)),
    );
    const html = page.replace(firstItem, items.join(''));
    const { ms, outcome } = timed(html);
    expect(outcome).toBe(`${Math.min(copies + 20, 1_000)} now playing`);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('measures the nesting of the real pages, far below the bound', () => {
    expect(measureNesting(page)).toBeLessThan(20);
    // Scripts, comments and void elements do not nest.
    expect(measureNesting('<script>"<div><div>"</script><!-- <div> --><br><img><p>a</p>')).toBe(1);
    expect(measureNesting('<div><div></div><div><span></span></div></div>')).toBe(3);
  });
});
