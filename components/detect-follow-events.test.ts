import { describe, expect, it } from 'vitest';
import type { BoardSnapshot, BoardUpdate } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { detectBoardFollowEvents, detectFollowEvents } from './detect-follow-events';
import { changeFilmMark, NO_MARKS } from './film-marks';

const where = { city: 'shanghai', cityName: '上海' };
const coming = makeMovie('1', { title: '好运来', category: 'upcoming', score: null, votes: null });

describe('detectFollowEvents', () => {
  it('tells a move from 即将上映 to 正在上映, and an arrival from outside the lists', () => {
    const playing = { ...coming, category: 'nowplaying' as const };
    expect(detectFollowEvents({ before: coming, after: playing, ...where })).toEqual([
      { key: '1:playing:shanghai', state: 'playing', id: '1', text: '《好运来》在上海上映了' },
    ]);
    expect(detectFollowEvents({ before: undefined, after: playing, ...where })).toHaveLength(1);
    expect(detectFollowEvents({ before: undefined, after: coming, ...where })).toEqual([]);
    expect(detectFollowEvents({ before: playing, after: { ...playing, votes: 5 }, ...where })).toEqual([]);
  });

  it('tells 开分, the first score of a film seen unrated', () => {
    const unrated = makeMovie('1', { title: '好运来', score: null });
    expect(detectFollowEvents({ before: unrated, after: { ...unrated, score: 7.5 }, ...where })).toEqual([
      { key: '1:rated', state: 'rated', id: '1', text: '《好运来》开分：7.5' },
    ]);
    // Never seen unrated: not a first score that we know of.
    expect(
      detectFollowEvents({ before: undefined, after: makeMovie('1', { score: 7.5 }), ...where }),
    ).toEqual([expect.objectContaining({ key: '1:playing:shanghai' })]);
  });

  it('tells a score crossing the threshold either way, and nothing on the same side', () => {
    const at = (score: number | null) => makeMovie('1', { title: '好东西', score });
    const cross = (from: number | null, to: number | null) =>
      detectFollowEvents({ before: at(from), after: at(to), threshold: 8, ...where }).filter(
        (event) => event.key === '1:threshold',
      );
    expect(cross(7.9, 8)).toEqual([
      { key: '1:threshold', state: 'above:8.0', id: '1', text: '《好东西》评分 8.0，达到你设的 8.0' },
    ]);
    expect(cross(8.1, 7.9)).toEqual([
      { key: '1:threshold', state: 'below:8.0', id: '1', text: '《好东西》评分 7.9，低于你设的 8.0' },
    ]);
    expect(cross(null, 8.5)).toHaveLength(1);
    expect(cross(8.1, 9)).toEqual([]);
    expect(cross(7, 7.9)).toEqual([]);
    expect(cross(8.5, null)).toEqual([]);
    expect(detectFollowEvents({ before: at(7.9), after: at(8.1), ...where })).toEqual([]);
  });
});

describe('detectBoardFollowEvents', () => {
  const board: BoardSnapshot = {
    city: 'shanghai',
    version: 1,
    fetchedAt: null,
    stale: false,
    source: 'douban',
    nowPlaying: [makeMovie('2', { score: null })],
    upcoming: [coming],
  };
  const update: BoardUpdate = {
    city: 'shanghai',
    version: 2,
    fetchedAt: '2026-11-29T06:00:00.000Z',
    added: [],
    updated: [{ ...coming, category: 'nowplaying' }, makeMovie('2', { score: 6 })],
    removed: [],
  };

  it('tells only about the films followed, compared with the board the update applies to', () => {
    const marks = changeFilmMark({ marks: NO_MARKS, id: '1', change: { follow: true } });
    const wished = changeFilmMark({ marks, id: '2', change: { wish: true } });
    expect(detectBoardFollowEvents({ board, update, marks: wished, cityName: '上海' })).toEqual([
      expect.objectContaining({ key: '1:playing:shanghai' }),
    ]);
    const both = changeFilmMark({ marks, id: '2', change: { follow: true } });
    expect(
      detectBoardFollowEvents({ board, update, marks: both, cityName: '上海' }).map((e) => e.key),
    ).toEqual(['1:playing:shanghai', '2:rated']);
    expect(detectBoardFollowEvents({ board, update, marks: NO_MARKS, cityName: '上海' })).toEqual([]);
  });
});
