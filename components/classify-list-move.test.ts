import { describe, expect, it } from 'vitest';
import { classifyListMove } from './classify-list-move';

describe('classifyListMove', () => {
  it('names an entry by the list entered, from nowhere or from the other list', () => {
    expect(classifyListMove({ before: null, after: 'nowplaying' })).toBe('released');
    expect(classifyListMove({ before: 'upcoming', after: 'nowplaying' })).toBe('released');
    expect(classifyListMove({ before: null, after: 'upcoming' })).toBe('listed');
    expect(classifyListMove({ before: 'nowplaying', after: 'upcoming' })).toBe('listed');
  });

  it('names an exit by the list left', () => {
    expect(classifyListMove({ before: 'nowplaying', after: null })).toBe('left');
    expect(classifyListMove({ before: 'upcoming', after: null })).toBe('dropped');
  });

  it('says nothing of a film that stayed where it was', () => {
    expect(classifyListMove({ before: 'nowplaying', after: 'nowplaying' })).toBeNull();
    expect(classifyListMove({ before: 'upcoming', after: 'upcoming' })).toBeNull();
    expect(classifyListMove({ before: null, after: null })).toBeNull();
  });
});
