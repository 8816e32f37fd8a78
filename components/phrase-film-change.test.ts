import { describe, expect, it } from 'vitest';
import { makeMovie as movie } from '@/test/make-movie';
import { phraseFilmChange } from './phrase-film-change';

const upcoming = (wish: number) => movie('1', { category: 'upcoming', score: null, votes: null, wish });

describe('phraseFilmChange', () => {
  it('tells a score change with both values', () => {
    expect(phraseFilmChange({ before: movie('1', { score: 7.9 }), after: movie('1', { score: 8.1 }) })).toBe(
      '评分 7.9 → 8.1。',
    );
    expect(phraseFilmChange({ before: movie('1', { score: 8 }), after: movie('1', { score: 7 }) })).toBe(
      '评分 8.0 → 7.0。',
    );
  });

  it('tells a first score as 开分, and a score Douban took away as 暂无', () => {
    expect(phraseFilmChange({ before: movie('1', { score: null }), after: movie('1', { score: 6.5 }) })).toBe(
      '开分 6.5。',
    );
    expect(phraseFilmChange({ before: movie('1', { score: 6.5 }), after: movie('1', { score: null }) })).toBe(
      '评分 6.5 → 暂无。',
    );
  });

  it('does not tell votes moving alone, nor anything else the sentence does not name', () => {
    const before = movie('1', { score: 8.1, votes: 1_000 });
    expect(phraseFilmChange({ before, after: { ...before, votes: 1_200 } })).toBeNull();
    expect(
      phraseFilmChange({ before, after: { ...before, actors: ['新演员'], ticketUrl: 'https://x' } }),
    ).toBeNull();
    expect(phraseFilmChange({ before, after: before })).toBeNull();
  });

  it('tells the score, not the votes, when both moved', () => {
    const before = movie('1', { score: 8.1, votes: 1_000 });
    expect(phraseFilmChange({ before, after: { ...before, score: 8.2, votes: 5_000 } })).toBe(
      '评分 8.1 → 8.2。',
    );
  });

  it('tells 想看 with both counts, grouped as the page shows them', () => {
    expect(phraseFilmChange({ before: upcoming(1_200), after: upcoming(13_500) })).toBe(
      '想看 1,200 → 13,500。',
    );
  });

  it('tells the film leaving the city by the list it left', () => {
    expect(phraseFilmChange({ before: movie('1'), after: null })).toBe('已下映。');
    expect(phraseFilmChange({ before: upcoming(10), after: null })).toBe('已移出即将上映。');
  });

  it('tells the list first, then the score, when the film moves to 正在上映 with its first score', () => {
    expect(
      phraseFilmChange({ before: upcoming(900), after: movie('1', { score: 7.4, votes: 300, wish: null }) }),
    ).toBe('已上映，开分 7.4。');
  });

  it('tells a film back on a list as back, without the values it had before it left', () => {
    expect(phraseFilmChange({ before: null, after: movie('1', { score: 9 }) })).toBe('已上映。');
    expect(phraseFilmChange({ before: null, after: upcoming(10) })).toBe('已加入即将上映。');
  });

  it('says nothing of a film on no list before or after', () => {
    expect(phraseFilmChange({ before: null, after: null })).toBeNull();
  });

  it('joins a score and a 想看 change in one sentence', () => {
    const before = movie('1', { score: 7, wish: 10 });
    expect(phraseFilmChange({ before, after: { ...before, score: 7.1, wish: 12 } })).toBe(
      '评分 7.0 → 7.1，想看 10 → 12。',
    );
  });
});
