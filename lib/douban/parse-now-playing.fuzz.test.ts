import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Movie } from '@/lib/types';
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

const injections = [
  '&amp;',
  '&#0;',
  '&#x110000;',
  '<img src=x onerror=alert(1)>',
  '"',
  "'",
  '<',
  '>',
  '</li>',
  '<li class="list-item" id="1">',
  '\u0000',
  '\uFFFF',
  'NaN',
  '-1',
  '1e309',
  ' data-score="x" ',
];

function mutate(page: string, next: () => number): string {
  let text = page;
  const at = () => Math.floor(next() * text.length);
  for (let step = 0, steps = 1 + Math.floor(next() * 6); step < steps; step++) {
    const kind = Math.floor(next() * 5);
    if (kind === 0)
      text = text.slice(0, at()); // truncate
    else if (kind === 1) {
      // drop an attribute value or a whole attribute
      const match = /data-[a-z]+="[^"]*"/g;
      const found = [...text.matchAll(match)];
      const pick = found[Math.floor(next() * found.length)];
      if (pick?.index !== undefined)
        text = text.slice(0, pick.index) + text.slice(pick.index + pick[0].length);
    } else if (kind === 2) {
      // shuffle two slices
      const a = at();
      const b = at();
      const [from, to] = a < b ? [a, b] : [b, a];
      const middle = Math.floor((from + to) / 2);
      text = text.slice(0, from) + text.slice(middle, to) + text.slice(from, middle) + text.slice(to);
    } else {
      const where = at();
      const injected = injections[Math.floor(next() * injections.length)] ?? '';
      text = text.slice(0, where) + injected + text.slice(where);
    }
  }
  return text;
}

function checkMovie(movie: Movie): void {
  expect(movie.id).toMatch(/^\d+$/);
  expect(movie.title.length).toBeGreaterThan(0);
  for (const value of [movie.score, movie.votes, movie.stars, movie.year, movie.wish]) {
    if (value !== null) expect(Number.isFinite(value)).toBe(true);
  }
  if (movie.score !== null) expect(movie.score).toBeGreaterThan(0);
}

describe('parseNowPlaying on mutated pages', () => {
  it('never throws past its boundary, and never returns a movie without id and title or with NaN', () => {
    const next = random(20261125);
    let parsed = 0;
    let refused = 0;
    for (let round = 0; round < 2_000; round++) {
      const page = mutate(pages[round % pages.length] as string, next);
      try {
        const result = parseNowPlaying(page);
        parsed++;
        for (const movie of [...result.nowPlaying, ...result.upcoming]) checkMovie(movie);
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw new Error(`round ${round}: ${String(error)}`);
        refused++;
      }
    }
    // Both outcomes happen: the mutations are neither all harmless nor all fatal.
    expect(parsed).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  }, 120_000);

  it('keeps a title with markup as text', () => {
    const page = (pages[0] as string).replace(
      'data-title="好东西"',
      'data-title="&lt;img src=x onerror=alert(1)&gt;"',
    );
    const first = parseNowPlaying(page).nowPlaying.find((movie) => movie.id === '36154853');
    expect(first?.title).toBe('<img src=x onerror=alert(1)>');
  });
});
