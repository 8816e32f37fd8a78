import { describe, expect, it } from 'vitest';
import { phraseChanges } from './phrase-changes';

const none = { rescored: 0, released: 0, listed: 0, left: 0, dropped: 0 };

describe('phraseChanges', () => {
  it('says a batch in one sentence, the kinds that happened only, in a fixed order', () => {
    expect(phraseChanges({ ...none, rescored: 3, released: 1, left: 1 })).toBe(
      '3 部影片评分变化，1 部新上映，1 部下映。',
    );
    expect(phraseChanges({ rescored: 1, released: 2, listed: 3, left: 4, dropped: 5 })).toBe(
      '1 部影片评分变化，2 部新上映，3 部加入即将上映，4 部下映，5 部移出即将上映。',
    );
  });

  it('names 影片 in the first clause, whichever kind comes first', () => {
    expect(phraseChanges({ ...none, left: 2 })).toBe('2 部影片下映。');
    expect(phraseChanges({ ...none, released: 1, dropped: 1 })).toBe('1 部影片新上映，1 部移出即将上映。');
  });

  it('has nothing to say when nothing worth telling changed', () => {
    expect(phraseChanges(none)).toBeNull();
  });
});
