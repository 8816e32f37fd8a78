import { describe, expect, it } from 'vitest';
import type { BoardSnapshot, Movie } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { compactBoard } from './seen-board';
import { listSinceIds, summarizeSince } from './summarize-since';

const SEEN_AT = Date.UTC(2026, 10, 28, 6);

function board(movies: Movie[]): BoardSnapshot {
  return {
    city: 'shanghai',
    version: 1,
    fetchedAt: null,
    stale: false,
    source: 'douban',
    nowPlaying: movies.filter((movie) => movie.category === 'nowplaying'),
    upcoming: movies.filter((movie) => movie.category === 'upcoming'),
  };
}

const upcoming = (id: string) => makeMovie(id, { category: 'upcoming', score: null, votes: null });

describe('summarizeSince', () => {
  const then = compactBoard({
    board: board([
      makeMovie('1', { score: 9.1 }),
      makeMovie('2', { score: 8.6 }),
      makeMovie('3', { score: null }),
      makeMovie('4', { score: 7 }),
      makeMovie('5', { score: 6 }),
      upcoming('6'),
      upcoming('7'),
    ]),
    at: SEEN_AT,
  });

  it('names the new films, the films that left, 开分, the moves into 正在上映 and the score moves', () => {
    const now = board([
      makeMovie('new', { title: '新片', score: 8 }),
      makeMovie('1', { score: 9.4 }),
      makeMovie('2', { score: 8.2 }),
      makeMovie('3', { score: 7.5 }),
      makeMovie('4', { score: 7 }),
      makeMovie('6', { score: null }),
      upcoming('7'),
      upcoming('soon'),
    ]);
    const summary = summarizeSince({ seen: then, board: now });
    expect(summary).toEqual({
      since: SEEN_AT,
      added: [
        { id: 'new', title: '新片', list: 'nowplaying' },
        { id: 'soon', title: '电影soon', list: 'upcoming' },
      ],
      playing: [{ id: '6', title: '电影6', list: 'nowplaying' }],
      left: [{ id: '5', title: '电影5', list: 'nowplaying' }],
      rated: [{ id: '3', title: '电影3', list: 'nowplaying', score: 7.5 }],
      // ▼0.4 before ▲0.3: the biggest move first, either way.
      moved: [
        { id: '2', title: '电影2', list: 'nowplaying', from: 8.6, to: 8.2 },
        { id: '1', title: '电影1', list: 'nowplaying', from: 9.1, to: 9.4 },
      ],
    });
    expect([...listSinceIds(summary)].sort()).toEqual(['1', '2', '3', '5', '6', 'new', 'soon']);
  });

  it('finds nothing when the board is as it was seen', () => {
    const same = board([
      makeMovie('1', { score: 9.1 }),
      makeMovie('2', { score: 8.6 }),
      makeMovie('3', { score: null }),
      makeMovie('4', { score: 7 }),
      makeMovie('5', { score: 6 }),
      upcoming('6'),
      upcoming('7'),
    ]);
    expect(listSinceIds(summarizeSince({ seen: then, board: same })).size).toBe(0);
  });

  it('does not call a score that lost its rating a move, nor float noise a change', () => {
    const seen = compactBoard({
      board: board([makeMovie('1', { score: 0.3 }), makeMovie('2')]),
      at: SEEN_AT,
    });
    const now = board([makeMovie('1', { score: 0.1 + 0.2 }), makeMovie('2', { score: null })]);
    expect(listSinceIds(summarizeSince({ seen, board: now })).size).toBe(0);
  });
});
