import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boardSnapshotSchema } from '@/lib/schema/board';
import type { Movie, NowPlayingPage } from '@/lib/types';
import { parseNowPlaying } from './parse-now-playing';
import { UpstreamError } from './upstream-error';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/douban/${name}`, import.meta.url)), 'utf8');
const pages = [fixture('nowplaying-shanghai.html'), fixture('nowplaying-shangrao-2018.html')];

/** A seeded generator, so a failure names a case that can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const markup = [
  '<img src=x onerror=alert(1)>',
  '"',
  "'",
  '<',
  '>',
  '</li>',
  '</ul></div>',
  '<li class="list-item" id="1">',
  '<li class="list-item" id="2" data-title="">',
  '<!--',
  '<script>',
  '\u0000',
  '\uFFFF',
  ' data-score="x" ',
];
const entities = [
  '&amp;',
  '&#0;',
  '&#x110000;',
  '&#xD800;',
  '&#9999999999;',
  '&nbsp;',
  '&lt;script&gt;',
  '&bogus;',
  '&#;',
  '&',
];
// Values a lying page could put where a number or a name belongs.
// Past the caps too: an id of 22 digits, a title of 600 characters, 150 names.
const values = [
  'NaN',
  '-1',
  '1e309',
  'Infinity',
  '0x10',
  '9.99',
  '',
  ' ',
  '12345678901234567890',
  '1234567890123456789012',
  '好东西',
  '好'.repeat(600),
  Array.from({ length: 150 }, (_, i) => `演员${i}`).join(' / '),
];

type Next = () => number;
const pick = <T>(items: readonly T[], next: Next): T => items[Math.floor(next() * items.length)] as T;
const ATTRIBUTE_VALUE = /(\s[a-z-]+=")([^"]*)"/g;

/** Every mutation the issue names, each applied to the page's text as a hostile or broken server might. */
const mutations: Record<string, (text: string, next: Next) => string> = {
  truncate: (text, next) => text.slice(0, Math.floor(next() * text.length)),
  dropAttribute(text, next) {
    const found = pick([...text.matchAll(ATTRIBUTE_VALUE)], next);
    if (found?.index === undefined) return text;
    // The whole attribute, or only its value.
    const kept = next() < 0.5 ? '' : `${found[1]}"`;
    return text.slice(0, found.index) + kept + text.slice(found.index + found[0].length);
  },
  replaceAttributeValue(text, next) {
    const found = pick([...text.matchAll(ATTRIBUTE_VALUE)], next);
    if (found?.index === undefined) return text;
    const value =
      next() < 0.5 ? pick(values, next) : (pick([...text.matchAll(ATTRIBUTE_VALUE)], next)?.[2] ?? '');
    return `${text.slice(0, found.index)}${found[1]}${value}"${text.slice(found.index + found[0].length)}`;
  },
  shuffleItems(text, next) {
    // Cuts the text before each <li and shuffles a window of the pieces: items change places,
    // and some end up inside others or outside their list.
    const pieces = text.split(/(?=<li\b)/);
    const from = Math.floor(next() * pieces.length);
    const to = Math.min(pieces.length, from + 2 + Math.floor(next() * 20));
    for (let i = to - 1; i > from; i--) {
      const j = from + Math.floor(next() * (i - from + 1));
      [pieces[i], pieces[j]] = [pieces[j] as string, pieces[i] as string];
    }
    return pieces.join('');
  },
  injectMarkup(text, next) {
    const where = Math.floor(next() * text.length);
    return text.slice(0, where) + pick(markup, next) + text.slice(where);
  },
  injectEntity(text, next) {
    // Into an attribute value, where the parser decodes it.
    const found = pick([...text.matchAll(ATTRIBUTE_VALUE)], next);
    if (found?.index === undefined) return text;
    const at =
      found.index + (found[1] as string).length + Math.floor(next() * ((found[2] as string).length + 1));
    return text.slice(0, at) + pick(entities, next) + text.slice(at);
  },
};
const kinds = Object.keys(mutations);

function mutate(page: string, next: Next, used: Map<string, number>): string {
  let text = page;
  for (let step = 0, steps = 1 + Math.floor(next() * 6); step < steps; step++) {
    const kind = pick(kinds, next);
    used.set(kind, (used.get(kind) ?? 0) + 1);
    text = (mutations[kind] as (text: string, next: Next) => string)(text, next);
  }
  return text;
}

/** Every number anywhere in `value`, however deep: none may be NaN or infinite. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

function checkMovie(movie: Movie, category: Movie['category']): void {
  expect(movie.id).toMatch(/^\d+$/);
  expect(typeof movie.title).toBe('string');
  expect(movie.title.trim().length).toBeGreaterThan(0);
  expect(movie.category).toBe(category);
  expect(movie.url).toBe(`https://movie.douban.com/subject/${movie.id}/`);
  for (const value of numbersIn(movie)) expect(Number.isFinite(value)).toBe(true);
  if (movie.score !== null) expect(movie.score > 0 && movie.score <= 10).toBe(true);
  if (movie.stars !== null) expect(movie.stars >= 0 && movie.stars <= 50).toBe(true);
  for (const count of [movie.votes, movie.wish, movie.year]) {
    if (count !== null) expect(Number.isSafeInteger(count) && count >= 0).toBe(true);
  }
}

const ROUNDS = 3_000;

describe('parseNowPlaying on mutated pages', () => {
  it(`never throws past its boundary, and never returns a movie without id and title, with NaN, listed twice or past a cap (${ROUNDS} pages)`, () => {
    const next = random(20261125);
    const used = new Map<string, number>();
    let parsed = 0;
    let refused = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const page = mutate(pages[round % pages.length] as string, next, used);
      let result: NowPlayingPage;
      try {
        result = parseNowPlaying(page);
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw new Error(`round ${round}: ${String(error)}`);
        refused++;
        continue;
      }
      parsed++;
      try {
        for (const movie of result.nowPlaying) checkMovie(movie, 'nowplaying');
        for (const movie of result.upcoming) checkMovie(movie, 'upcoming');
        const all = [...result.nowPlaying, ...result.upcoming];
        expect(new Set(all.map((movie) => movie.id)).size).toBe(all.length);
        // What the bus and the browser check: nothing the parser returns may be refused there.
        const snapshot = { city: 'shanghai', version: 1, fetchedAt: null, stale: false, source: 'douban' };
        expect(boardSnapshotSchema.safeParse({ ...snapshot, ...result }).success).toBe(true);
      } catch (error) {
        throw new Error(`round ${round}: ${(error as Error).message}`);
      }
    }
    // Both outcomes happen: the mutations are neither all harmless nor all fatal.
    expect(parsed).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
    // And every kind of mutation was tried often.
    for (const kind of kinds) expect([kind, (used.get(kind) ?? 0) > ROUNDS / 2]).toEqual([kind, true]);
  }, 180_000);

  it('keeps a title with markup as text', () => {
    const page = (pages[0] as string).replace(
      'data-title="好东西"',
      'data-title="&lt;img src=x onerror=alert(1)&gt;"',
    );
    const first = parseNowPlaying(page).nowPlaying.find((movie) => movie.id === '36154853');
    expect(first?.title).toBe('<img src=x onerror=alert(1)>');
  });
});
