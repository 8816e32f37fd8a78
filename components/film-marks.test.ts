import { describe, expect, it } from 'vitest';
import { parseStored } from './create-local-store';
import {
  changeFilmMark,
  FILM_MARKS_MAX,
  type FilmMarks,
  filmMarksSchema,
  listMine,
  NO_MARKS,
} from './film-marks';

describe('the film marks', () => {
  it('follow, want and have seen a film, 想看 and 看过 excluding each other', () => {
    let marks = changeFilmMark({ marks: NO_MARKS, id: '1', change: { follow: true } });
    marks = changeFilmMark({ marks, id: '1', change: { wish: true } });
    marks = changeFilmMark({ marks, id: '2', change: { seen: true } });
    expect(marks.films).toEqual([
      { id: '1', follow: true, wish: true },
      { id: '2', seen: true },
    ]);
    marks = changeFilmMark({ marks, id: '1', change: { seen: true } });
    expect(marks.films[0]).toEqual({ id: '1', follow: true, seen: true });
    expect(listMine(marks)).toEqual({ followed: new Set(['1']), wish: new Set(), seen: new Set(['1', '2']) });
  });

  it('forget a film left without a mark, its threshold too, and keep the others in place', () => {
    let marks = changeFilmMark({ marks: NO_MARKS, id: '1', change: { follow: true, threshold: 8 } });
    marks = changeFilmMark({ marks, id: '2', change: { wish: true } });
    marks = changeFilmMark({ marks, id: '1', change: { threshold: 7.5 } });
    expect(marks.films.map((film) => film.id)).toEqual(['1', '2']);
    expect(marks.films[0]?.threshold).toBe(7.5);
    marks = changeFilmMark({ marks, id: '1', change: { follow: false } });
    expect(marks.films).toEqual([{ id: '2', wish: true }]);
  });

  it('forget the oldest marked film past the cap', () => {
    const full: FilmMarks = {
      films: Array.from({ length: FILM_MARKS_MAX }, (_, index) => ({ id: `${index}`, wish: true })),
    };
    const marks = changeFilmMark({ marks: full, id: '99999', change: { follow: true } });
    expect(marks.films).toHaveLength(FILM_MARKS_MAX);
    expect(marks.films[0]?.id).toBe('1');
    expect(marks.films.at(-1)?.id).toBe('99999');
  });

  it('read back what they wrote, and ignore a corrupt or foreign value', () => {
    const marks = changeFilmMark({ marks: NO_MARKS, id: '36154853', change: { follow: true, threshold: 8 } });
    expect(parseStored({ raw: JSON.stringify(marks), schema: filmMarksSchema })).toEqual(marks);
    for (const raw of [
      'not json',
      '[]',
      '{"films": [{"id": "abc", "follow": true}]}',
      '{"films": [{"id": "1", "threshold": 11}]}',
      '{"films": [{"id": "1", "follow": "yes"}]}',
    ]) {
      expect(parseStored({ raw, schema: filmMarksSchema }), raw).toBeNull();
    }
    expect(parseStored({ raw: null, schema: filmMarksSchema })).toBeNull();
  });
});
