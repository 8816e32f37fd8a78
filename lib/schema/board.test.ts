import { describe, expect, it } from 'vitest';
import shanghai from '@/lib/douban/saved/shanghai.json';
import shangrao from '@/lib/douban/saved/shangrao.json';
import { makeMovie } from '@/test/make-movie';
import { boardSnapshotSchema, boardStatusSchema, boardUpdateSchema } from './board';
import { movieSchema } from './movie';

const snapshot = {
  city: 'shanghai',
  version: 1795600000001,
  fetchedAt: shanghai.recordedAt,
  stale: false,
  source: 'douban',
  nowPlaying: shanghai.nowPlaying,
  upcoming: shanghai.upcoming,
};
const update = {
  city: 'shanghai',
  version: 1795600000002,
  fetchedAt: '2026-11-25T10:00:00.000Z',
  added: [makeMovie('1')],
  updated: [],
  removed: ['2'],
};

describe('the board schemas', () => {
  it.each([
    ['Shanghai', shanghai],
    ['Shangrao', shangrao],
  ])('give back the recorded %s board byte for byte', (_, saved) => {
    const board = { ...snapshot, nowPlaying: saved.nowPlaying, upcoming: saved.upcoming };
    const parsed = boardSnapshotSchema.parse(JSON.parse(JSON.stringify(board)));
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(board));
  });

  it('put the fields of a movie in the documented order, whatever order they came in', () => {
    const movie = makeMovie('1');
    const reversed = Object.fromEntries(Object.entries(movie).reverse());
    expect(JSON.stringify(movieSchema.parse(reversed))).toBe(JSON.stringify(movie));
  });

  it('leave out an update’s order when it has none, and keep it when it has one', () => {
    expect('order' in boardUpdateSchema.parse(update)).toBe(false);
    const order = { nowPlaying: ['1'], upcoming: [] };
    expect(boardUpdateSchema.parse({ ...update, order }).order).toEqual(order);
  });

  it.each([
    ['an id of 21 digits', { id: '1'.repeat(21) }],
    ['an empty title', { title: '' }],
    ['a title of 501 characters', { title: 'x'.repeat(501) }],
    ['101 actors', { actors: Array.from({ length: 101 }, (_, i) => `演员${i}`) }],
    ['an actor name of 201 characters', { actors: ['x'.repeat(201)] }],
    ['a poster URL of 2,001 characters', { posterUrl: `https://x/${'a'.repeat(1_992)}` }],
    ['a score of 0', { score: 0 }],
    ['stars of 33', { stars: 33 }],
    ['an infinite vote count', { votes: Number.POSITIVE_INFINITY }],
  ])('refuse a movie with %s', (_, overrides) => {
    expect(movieSchema.safeParse(makeMovie('1', overrides)).success).toBe(false);
  });

  it('accept a movie at every cap', () => {
    const movie = makeMovie('1'.repeat(20), {
      title: 'x'.repeat(500),
      actors: Array.from({ length: 100 }, () => 'x'.repeat(200)),
      duration: 'x'.repeat(2_000),
    });
    expect(movieSchema.safeParse(movie).success).toBe(true);
  });

  it('refuse an update of more than 1,000 movies', () => {
    const added = Array.from({ length: 1_001 }, (_, i) => makeMovie(String(i + 1)));
    expect(boardUpdateSchema.safeParse({ ...update, added }).success).toBe(false);
  });

  it('refuse a status of another shape', () => {
    const status = { city: 'shanghai', state: 'live', since: 'x', reason: null, lastSuccessAt: null };
    expect(boardStatusSchema.safeParse(status).success).toBe(true);
    expect(boardStatusSchema.safeParse({ ...status, state: 'on-fire' }).success).toBe(false);
    expect(boardStatusSchema.safeParse({ ...status, city: '../etc' }).success).toBe(false);
  });
});
