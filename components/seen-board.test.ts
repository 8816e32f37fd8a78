import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { parseStored } from './create-local-store';
import { compactBoard, findSeenBoard, rememberBoard, SEEN_CITIES_MAX, seenBoardsSchema } from './seen-board';

const board = (city: string): BoardSnapshot => ({
  city,
  version: 1,
  fetchedAt: null,
  stale: false,
  source: 'douban',
  nowPlaying: [makeMovie('1', { title: '好东西', score: 9.1 })],
  upcoming: [makeMovie('2', { category: 'upcoming', score: null, title: '即将' })],
});

describe('the remembered boards', () => {
  it('keep per film its list, score and title only', () => {
    expect(compactBoard({ board: board('shanghai'), at: 5 })).toEqual({
      city: 'shanghai',
      at: 5,
      films: [
        ['1', 'nowplaying', 9.1, '好东西'],
        ['2', 'upcoming', null, '即将'],
      ],
    });
  });

  it('keep the latest board of each city, most recent first, and forget the oldest past the cap', () => {
    let seen = { cities: [] as ReturnType<typeof compactBoard>[] };
    for (let index = 0; index <= SEEN_CITIES_MAX; index += 1) {
      seen = rememberBoard({ seen, board: compactBoard({ board: board(`city${index}`), at: index }) });
    }
    seen = rememberBoard({ seen, board: compactBoard({ board: board('city3'), at: 100 }) });
    expect(seen.cities.map((city) => city.city)).toEqual([
      'city3',
      ...[8, 7, 6, 5, 4, 2, 1].map((index) => `city${index}`),
    ]);
    expect(findSeenBoard({ seen, city: 'city3' })?.at).toBe(100);
    expect(findSeenBoard({ seen, city: 'city0' })).toBeUndefined();
  });

  it('read back what they wrote, and ignore a corrupt or foreign value', () => {
    const seen = rememberBoard({
      seen: { cities: [] },
      board: compactBoard({ board: board('shanghai'), at: 5 }),
    });
    expect(parseStored({ raw: JSON.stringify(seen), schema: seenBoardsSchema })).toEqual(seen);
    for (const raw of [
      '{"cities": [',
      'null',
      '{"cities": [{"city": "shanghai", "at": 5, "films": [["1", "nowplaying", 11, "x"]]}]}',
      '{"cities": [{"city": "../x", "at": 5, "films": []}]}',
      JSON.stringify({ cities: Array.from({ length: SEEN_CITIES_MAX + 1 }, () => seen.cities[0]) }),
    ]) {
      expect(parseStored({ raw, schema: seenBoardsSchema }), raw.slice(0, 40)).toBeNull();
    }
  });
});
