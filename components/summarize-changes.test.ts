import { describe, expect, it } from 'vitest';
import type { BoardSnapshot, Movie } from '@/lib/types';
import { makeMovie as movie } from '@/test/make-movie';
import { summarizeChanges } from './summarize-changes';

const board = (nowPlaying: Movie[], upcoming: Movie[] = [], left: Movie[] = []): BoardSnapshot => ({
  city: 'shanghai',
  version: 10,
  fetchedAt: '2026-11-25T00:00:00.000Z',
  stale: false,
  source: 'douban',
  nowPlaying,
  upcoming,
  ...(left.length > 0 ? { left } : {}),
});

const upcoming = (id: string) => movie(id, { category: 'upcoming', score: null, votes: null, wish: 10 });
const none = { rescored: 0, released: 0, listed: 0, left: 0, dropped: 0 };

describe('summarizeChanges', () => {
  it('counts score changes, entries and exits of each list', () => {
    const before = board([movie('1', { score: 7 }), movie('2', { score: 8 }), movie('3')], [upcoming('8')]);
    const after = board(
      [movie('1', { score: 7.2 }), movie('2', { score: 7.9 }), movie('4'), movie('5')],
      [upcoming('9')],
    );
    expect(summarizeChanges({ before, after })).toEqual({
      rescored: 2,
      released: 2,
      listed: 1,
      left: 1,
      dropped: 1,
    });
  });

  it('counts a film that moved from 即将上映 to 正在上映 as released, not as one leaving', () => {
    const before = board([movie('1')], [upcoming('8')]);
    const after = board([movie('1'), movie('8')], []);
    expect(summarizeChanges({ before, after })).toEqual({ ...none, released: 1 });
  });

  it('counts a first score (暂无 to rated) and a lost one as score changes', () => {
    const before = board([movie('1', { score: null }), movie('2', { score: 6 })]);
    const after = board([movie('1', { score: 6.5 }), movie('2', { score: null })]);
    expect(summarizeChanges({ before, after })).toEqual({ ...none, rescored: 2 });
  });

  it('says nothing of votes, 想看, order or 最近下映 alone', () => {
    const before = board([movie('1', { votes: 100 }), movie('2')], [upcoming('8')]);
    const after = board(
      [movie('2'), movie('1', { votes: 2_000 })],
      [{ ...upcoming('8'), wish: 99 }],
      [movie('7', { trend: { seenAt: 1, leftAt: 5, base: { at: 1 } } })],
    );
    expect(summarizeChanges({ before, after })).toEqual(none);
  });

  it('counts a film that came and went between the two boards for nothing', () => {
    const before = board([movie('1', { score: 7 })]);
    const after = board([movie('1', { score: 7 })]);
    expect(summarizeChanges({ before, after })).toEqual(none);
  });
});
