import { describe, expect, it } from 'vitest';
import type { NowPlayingPage } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { createPageJudge } from './judge-page';

/** A page listing movies `from`..`to` now playing. */
const page = (from: number, to: number): NowPlayingPage => ({
  nowPlaying: Array.from({ length: to - from + 1 }, (_, i) => makeMovie(String(from + i))),
  upcoming: [],
});
const board = page(1, 10);

describe('createPageJudge', () => {
  it('holds back a page with fewer than the ratio of the live board, until enough polls agree', () => {
    const judge = createPageJudge({ dropRatio: 0.5, confirmPolls: 3 });
    const small = page(1, 4);
    expect(judge.judge({ board, live: true, page: small })).toEqual({
      believed: false,
      previous: 10,
      found: 4,
      previousUpcoming: 0,
      foundUpcoming: 0,
      agreeing: 1,
      needed: 3,
    });
    expect(judge.judge({ board, live: true, page: small })).toMatchObject({ believed: false, agreeing: 2 });
    expect(judge.judge({ board, live: true, page: small })).toEqual({ believed: true, confirmed: true });
  });

  it('believes at once a page at or above the ratio', () => {
    const judge = createPageJudge({ dropRatio: 0.5, confirmPolls: 3 });
    expect(judge.judge({ board, live: true, page: page(1, 5) })).toEqual({
      believed: true,
      confirmed: false,
    });
  });

  it('agrees by ids, in any order, and starts again when the smaller list changes', () => {
    const judge = createPageJudge({ dropRatio: 0.5, confirmPolls: 2 });
    expect(judge.judge({ board, live: true, page: page(1, 2) })).toMatchObject({ agreeing: 1 });
    expect(judge.judge({ board, live: true, page: page(3, 4) })).toMatchObject({ agreeing: 1 });
    const reversed = { nowPlaying: [...page(3, 4).nowPlaying].reverse(), upcoming: [] };
    expect(judge.judge({ board, live: true, page: reversed })).toMatchObject({ believed: true });
  });

  it('starts again after a believed page or a failed poll comes between', () => {
    const judge = createPageJudge({ dropRatio: 0.5, confirmPolls: 2 });
    expect(judge.judge({ board, live: true, page: page(1, 2) })).toMatchObject({ agreeing: 1 });
    expect(judge.judge({ board, live: true, page: board })).toMatchObject({ believed: true });
    expect(judge.judge({ board, live: true, page: page(1, 2) })).toMatchObject({ agreeing: 1 });
    judge.reset();
    expect(judge.judge({ board, live: true, page: page(1, 2) })).toMatchObject({ agreeing: 1 });
  });

  it('does not judge saved data, or a board too small for a ratio to mean much', () => {
    const judge = createPageJudge({ dropRatio: 0.5, confirmPolls: 3 });
    expect(judge.judge({ board, live: false, page: page(1, 1) })).toMatchObject({ believed: true });
    expect(judge.judge({ board: page(1, 3), live: true, page: page(1, 1) })).toMatchObject({
      believed: true,
    });
  });

  it('finds an empty list suspicious, even with the ratio turned off', () => {
    const empty = { nowPlaying: [], upcoming: [] };
    const judge = createPageJudge({ dropRatio: 0, confirmPolls: 2 });
    expect(judge.judge({ board: page(1, 2), live: true, page: empty })).toMatchObject({ believed: false });
    expect(judge.judge({ board, live: true, page: page(1, 1) })).toMatchObject({ believed: true });
  });

  it('holds back a page whose upcoming list collapsed, even when now playing is whole', () => {
    const withUpcoming = (upcoming: number): NowPlayingPage => ({
      nowPlaying: board.nowPlaying,
      upcoming: Array.from({ length: upcoming }, (_, i) => makeMovie(String(100 + i))),
    });
    const judge = createPageJudge({ dropRatio: 0.5, confirmPolls: 2 });
    expect(judge.judge({ board: withUpcoming(8), live: true, page: withUpcoming(0) })).toMatchObject({
      believed: false,
      previous: 10,
      found: 10,
      previousUpcoming: 8,
      foundUpcoming: 0,
    });
    expect(judge.judge({ board: withUpcoming(8), live: true, page: withUpcoming(5) })).toMatchObject({
      believed: true,
    });
  });

  it('believes every page when one poll is enough', () => {
    const judge = createPageJudge({ dropRatio: 0.5, confirmPolls: 1 });
    expect(judge.judge({ board, live: true, page: page(1, 1) })).toEqual({ believed: true, confirmed: true });
  });
});
