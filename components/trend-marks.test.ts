import { describe, expect, it } from 'vitest';
import type { Movie, Trend } from '@/lib/types';
import { makeMovie } from '@/test/make-movie';
import { formatCount, listTrendMarks } from './trend-marks';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2026-11-29 12:00 in Beijing (04:00 UTC): the clock every test reads.
const NOW = Date.UTC(2026, 10, 29, 4);

function withTrend(trend: Partial<Trend>, overrides: Partial<Movie> = {}): Movie {
  return makeMovie('1', {
    score: 8.3,
    votes: 52_000,
    ...overrides,
    trend: { seenAt: NOW - 20 * DAY, base: { at: NOW - DAY, score: 8.3, votes: 52_000 }, ...trend },
  });
}

const texts = (movie: Movie, now = NOW) => listTrendMarks({ movie, now }).map((mark) => mark.text);

describe('listTrendMarks', () => {
  it('marks a film of 最近下映 with the day it left, and nothing else', () => {
    const left = makeMovie('1', {
      score: 7.5,
      trend: {
        seenAt: 0,
        ratedAt: Date.UTC(2026, 10, 26),
        leftAt: Date.UTC(2026, 10, 27, 3),
        base: { at: 0, score: 7 },
      },
    });
    expect(listTrendMarks({ movie: left, now: Date.UTC(2026, 10, 28) })).toEqual([
      { kind: 'left', text: '11月27日下映', label: '11月27日起不在本市上映' },
    ]);
  });

  it('shows nothing for a movie without a trend (saved boards, HISTORY=off)', () => {
    expect(listTrendMarks({ movie: makeMovie('1'), now: NOW })).toEqual([]);
  });

  it('shows nothing when nothing moved since the base', () => {
    expect(texts(withTrend({}))).toEqual([]);
  });

  it('marks a score rise in red-up terms: an arrow, the number, and a sentence for screen readers', () => {
    const [mark] = listTrendMarks({ movie: withTrend({}, { score: 8.5 }), now: NOW });
    expect(mark).toEqual({
      kind: 'score',
      direction: 'up',
      text: '评分 ▲0.2',
      label: '24小时内评分上升0.2',
    });
  });

  it('marks a score fall with ▼, rounded to tenths', () => {
    const [mark] = listTrendMarks({ movie: withTrend({}, { score: 8.0 }), now: NOW });
    expect(mark).toMatchObject({ kind: 'score', direction: 'down', text: '评分 ▼0.3' });
  });

  it('counts votes since the base, in 万 from ten thousand', () => {
    expect(texts(withTrend({}, { votes: 64_000 }))).toEqual(['评价 ▲+1.2万']);
    expect(texts(withTrend({}, { votes: 55_210 }))).toEqual(['评价 ▲+3,210']);
    expect(texts(withTrend({}, { votes: 51_990 }))).toEqual(['评价 ▼−10']);
  });

  it('counts 想看 for an upcoming movie', () => {
    const movie = makeMovie('2', {
      category: 'upcoming',
      score: null,
      votes: null,
      stars: null,
      wish: 13_210,
      trend: { seenAt: NOW - 5 * DAY, base: { at: NOW - DAY, wish: 10_000 } },
    });
    expect(listTrendMarks({ movie, now: NOW })).toEqual([
      { kind: 'wish', direction: 'up', text: '想看 ▲+3,210', label: '24小时内想看增加3,210' },
    ]);
  });

  it('says the change is since first sight when the base is younger than a day', () => {
    const movie = withTrend({ base: { at: NOW - 2 * HOUR, score: 8.1 } });
    expect(listTrendMarks({ movie, now: NOW })[0]?.label).toBe('首次见到以来评分上升0.2');
  });

  it('leaves out a change whose base or current value is unknown', () => {
    expect(texts(withTrend({ base: { at: NOW - DAY } }, { score: 9, votes: 99_999 }))).toEqual([]);
    expect(texts(withTrend({}, { score: null, votes: null }))).toEqual([]);
  });

  it('marks 开分 with its Chinese date for seven days', () => {
    // 2026-11-28 17:00 UTC is already 11月29日 01:00 in Beijing.
    const ratedAt = Date.UTC(2026, 10, 28, 17);
    const movie = withTrend({ ratedAt });
    expect(texts(movie)).toEqual(['开分 11月29日']);
    expect(texts(movie, ratedAt + 7 * DAY - 1)).toEqual(['开分 11月29日']);
    expect(texts(movie, ratedAt + 7 * DAY)).toEqual([]);
  });

  it('keeps 开分 when the page clock is a little behind the server that saw it', () => {
    expect(texts(withTrend({ ratedAt: NOW + 30_000 }))).toEqual(['开分 11月29日']);
  });

  it('marks 新上映 for three days after the movie entered 正在上映', () => {
    const movie = withTrend({ playingAt: NOW - 2 * DAY });
    expect(texts(movie)).toEqual(['新上映']);
    expect(texts(movie, NOW + DAY - 1)).toEqual(['新上映']);
    expect(texts(movie, NOW + DAY)).toEqual([]);
  });

  it('marks 今日上映 instead, on the Chinese day a movie came from 即将上映', () => {
    // 00:30 in Beijing, the same Chinese day as NOW (12:00), but the previous day in UTC.
    const playingAt = Date.UTC(2026, 10, 28, 16, 30);
    const movie = withTrend({ playingAt, fromUpcoming: true });
    expect(texts(movie)).toEqual(['今日上映']);
    // Past Beijing's midnight it is 新上映 until three days have passed.
    const nextDay = Date.UTC(2026, 10, 29, 16, 0);
    expect(texts(movie, nextDay)).toEqual(['新上映']);
  });

  it('gives no 新上映 to an upcoming movie', () => {
    const movie = withTrend(
      { playingAt: NOW - HOUR, base: { at: NOW - DAY } },
      { category: 'upcoming', score: null, votes: null },
    );
    expect(texts(movie)).toEqual([]);
  });

  it('lists the event marks before the changes', () => {
    const movie = withTrend({ ratedAt: NOW - DAY, playingAt: NOW - DAY }, { score: 8.4, votes: 60_000 });
    expect(listTrendMarks({ movie, now: NOW }).map((mark) => mark.kind)).toEqual([
      'rated',
      'new-release',
      'score',
      'votes',
    ]);
  });
});

describe('formatCount', () => {
  it('groups thousands below 10,000 and counts 万 with one decimal from there', () => {
    expect(formatCount(3210)).toBe('3,210');
    expect(formatCount(10_000)).toBe('1万');
    expect(formatCount(12_345)).toBe('1.2万');
    expect(formatCount(99_960)).toBe('10万');
    expect(formatCount(1_234_567)).toBe('123.5万');
  });
});
