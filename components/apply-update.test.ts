import { describe, expect, it } from 'vitest';
import { applyMovieDiff } from '@/lib/board/apply-movie-diff';
import { diffBoards } from '@/lib/board/diff-boards';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { makeRandomBoards } from '@/test/make-random-boards';
import { applyUpdate } from './apply-update';
import { arrangeMovies } from './arrange-movies';
import { DEFAULT_BOARD_VIEW } from './board-view';
import { createMovieFilter } from './create-movie-filter';
import { describeChanges } from './describe-changes';

const movie = makeMovie;

const board = (): BoardSnapshot => ({
  city: 'shanghai',
  version: 10,
  fetchedAt: '2026-11-25T00:00:00.000Z',
  stale: false,
  source: 'douban',
  nowPlaying: [movie('1'), movie('2'), movie('3')],
  upcoming: [movie('9', { category: 'upcoming', score: null, votes: null, stars: null })],
});

const update = (changes: Partial<Parameters<typeof applyUpdate>[1]>) => ({
  city: 'shanghai',
  version: 11,
  fetchedAt: '2026-11-25T00:01:00.000Z',
  added: [],
  updated: [],
  removed: [],
  ...changes,
});

describe('applyUpdate', () => {
  it('takes 最近下映 when the update carries it, keeps it when not, and drops it when it emptied', () => {
    const left = [movie('7', { trend: { seenAt: 1, leftAt: 5, base: { at: 1 } } })];
    const withLeft = applyUpdate(board(), update({ removed: ['3'], left }));
    expect(withLeft.left).toEqual(left);
    const kept = applyUpdate(withLeft, { ...update({ updated: [movie('2', { score: 8 })] }), version: 12 });
    expect(kept.left).toBe(withLeft.left);
    const emptied = applyUpdate(kept, { ...update({ left: [] }), version: 13 });
    expect(emptied).not.toHaveProperty('left');
  });

  it('replaces updated movies in place and keeps the objects of the others', () => {
    const before = board();
    const after = applyUpdate(before, update({ updated: [movie('2', { score: 8 })] }));
    expect(after.version).toBe(11);
    expect(after.nowPlaying.map((m) => [m.id, m.score])).toEqual([
      ['1', 7],
      ['2', 8],
      ['3', 7],
    ]);
    expect(after.nowPlaying[0]).toBe(before.nowPlaying[0]);
    expect(after.nowPlaying[2]).toBe(before.nowPlaying[2]);
  });

  it('adds new movies to their list and drops removed ones', () => {
    const after = applyUpdate(board(), update({ added: [movie('4')], removed: ['1'] }));
    expect(after.nowPlaying.map((m) => m.id)).toEqual(['4', '2', '3']);
  });

  it('moves a movie that opened from upcoming to now playing', () => {
    const opened = movie('9', { score: 6.5 });
    const after = applyUpdate(board(), update({ updated: [opened] }));
    expect(after.upcoming).toEqual([]);
    expect(after.nowPlaying.map((m) => m.id)).toContain('9');
  });
});

describe('describeChanges', () => {
  it('marks rises, falls, unrated scores and new movies, and keeps the place of leaving ones', () => {
    const changes = describeChanges(
      board(),
      update({
        updated: [movie('1', { score: 7.5 }), movie('2', { score: 6 }), movie('3', { votes: 101 })],
        added: [movie('4')],
        removed: ['2'],
      }),
    );
    expect(changes.cues.get('1')).toMatchObject({ kind: 'up', from: 7, to: 7.5 });
    expect(changes.cues.get('2')).toMatchObject({ kind: 'down', from: 7, to: 6 });
    expect(changes.cues.has('3')).toBe(false);
    expect(changes.cues.get('4')).toMatchObject({ kind: 'new' });
    expect(changes.leaving.get('2')).toMatchObject({ index: 1 });
  });
});

describe('arrangeMovies', () => {
  const movies = [
    movie('1', { title: '好东西', score: 9.1, votes: 500, directors: ['邵艺辉'] }),
    movie('2', { title: '因果报应', score: null, votes: 50 }),
    movie('3', { title: '阿凡达', score: 8, votes: 5000 }),
  ];

  it('sorts by score with unrated movies last, by votes, or by title', () => {
    const ids = (sort: 'score' | 'votes' | 'title') =>
      arrangeMovies({ movies, leaving: [], sort, today: 0 }).map((row) => row.movie.id);
    expect(ids('score')).toEqual(['1', '3', '2']);
    expect(ids('votes')).toEqual(['3', '1', '2']);
    expect(ids('title')).toEqual(['3', '1', '2']);
  });

  it('filters by title, director or actor, and keeps a leaving movie at its old place', () => {
    const filter = createMovieFilter({ view: { ...DEFAULT_BOARD_VIEW, q: '邵艺辉' }, marks: null });
    expect(
      arrangeMovies({ movies, leaving: [], sort: 'default', filter, today: 0 }).map((r) => r.movie.id),
    ).toEqual(['1']);
    const rows = arrangeMovies({
      movies,
      leaving: [{ movie: movie('7'), index: 1 }],
      sort: 'default',
      today: 0,
    });
    expect(rows.map((r) => [r.movie.id, r.leaving])).toEqual([
      ['1', false],
      ['7', true],
      ['2', false],
      ['3', false],
    ]);
  });
});

describe('applyUpdate with an order', () => {
  it("puts each list in Douban's order when the update carries it", () => {
    const after = applyUpdate(
      board(),
      update({ added: [movie('4')], order: { nowPlaying: ['2', '4', '1', '3'], upcoming: ['9'] } }),
    );
    expect(after.nowPlaying.map((m) => m.id)).toEqual(['2', '4', '1', '3']);
  });
});

describe('applyUpdate over random boards', () => {
  it("gives the server's lists, in Douban's order, and keeps the objects of unchanged movies", () => {
    // The browser holds the server's snapshot and receives the update as JSON, `order` left out or not.
    const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));
    for (let seed = 1; seed <= 5_000; seed += 1) {
      const { before, after } = makeRandomBoards(seed);
      const diff = diffBoards(before, after);
      const shown: BoardSnapshot = wire({ ...board(), ...before });
      const event: BoardUpdate = wire({ city: 'shanghai', version: 11, fetchedAt: 'now', ...diff });
      const next = applyUpdate(shown, event);

      const lists = { nowPlaying: next.nowPlaying, upcoming: next.upcoming };
      expect(lists, `seed ${seed}`).toStrictEqual(applyMovieDiff(before, diff));
      expect(lists, `seed ${seed}`).toStrictEqual(after);
      expect(next).toMatchObject({ city: 'shanghai', version: 11, fetchedAt: 'now', stale: false });
      const changed = new Set([...event.added, ...event.updated].map((m) => m.id));
      const held = new Map([...shown.nowPlaying, ...shown.upcoming].map((m) => [m.id, m]));
      for (const m of [...next.nowPlaying, ...next.upcoming]) {
        if (!changed.has(m.id)) expect(m, `seed ${seed}, movie ${m.id}`).toBe(held.get(m.id));
      }
    }
  });
});
