import { describe, expect, it } from 'vitest';
import { formatClock, formatMonthDay, formatMonthDayClock } from './format-china-date';
import { timeTicks } from './time-ticks';

// 2026-11-29 00:00 in Beijing is 2026-11-28 16:00 UTC.
const nov29 = Date.UTC(2026, 10, 28, 16);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('Beijing dates', () => {
  it('prints month and day, and the clock, in Beijing time whatever the machine zone', () => {
    expect(formatMonthDay(nov29)).toBe('11月29日');
    expect(formatMonthDay(nov29 - 1)).toBe('11月28日');
    expect(formatClock(nov29 + 14 * HOUR + 5 * 60_000)).toBe('14:05');
    expect(formatMonthDayClock(nov29 + 9 * HOUR)).toBe('11月29日 09:00');
  });
});

describe('timeTicks', () => {
  it('puts a week of history on midnights, labelled by day', () => {
    const ticks = timeTicks({ from: nov29 + 10 * HOUR, to: nov29 + 6 * DAY + 3 * HOUR });
    expect(ticks.map((tick) => tick.label)).toEqual([
      '11月30日',
      '12月1日',
      '12月2日',
      '12月3日',
      '12月4日',
      '12月5日',
    ]);
    expect(ticks[0]?.at).toBe(nov29 + DAY);
  });

  it('puts a few minutes of history on round minutes of the clock', () => {
    const from = nov29 + 14 * HOUR + 3 * 60_000;
    const ticks = timeTicks({ from, to: from + 20 * 60_000 });
    expect(ticks.map((tick) => tick.label)).toEqual(['14:05', '14:10', '14:15', '14:20']);
  });

  it('labels midnight with its date when the ticks are hours', () => {
    const ticks = timeTicks({ from: nov29 - 5 * HOUR, to: nov29 + 5 * HOUR });
    expect(ticks.map((tick) => tick.label)).toEqual(['20:00', '22:00', '11月29日', '02:00', '04:00']);
  });

  it('puts a year of history on the 1st of months', () => {
    const ticks = timeTicks({ from: nov29, to: nov29 + 365 * DAY });
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks.every((tick) => tick.label.endsWith('月1日'))).toBe(true);
    expect(ticks[0]?.label).toBe('1月1日');
  });

  it('gives one tick for an instant', () => {
    expect(timeTicks({ from: nov29, to: nov29 })).toEqual([{ at: nov29, label: '11月29日' }]);
  });
});
