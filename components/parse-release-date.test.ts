import { describe, expect, it } from 'vitest';
import { parseReleaseDate } from './parse-release-date';

/** 2024-12-05 10:00 in Beijing, when the Shanghai page in fixtures/douban/ was recorded. */
const DEC_5 = Date.UTC(2024, 11, 5, 2);

describe('parseReleaseDate', () => {
  it("reads Douban's month and day, in the year of the page", () => {
    expect(parseReleaseDate({ text: '12月06日上映', today: DEC_5 })).toBe(Date.UTC(2024, 11, 6));
    expect(parseReleaseDate({ text: '12月6日上映', today: DEC_5 })).toBe(Date.UTC(2024, 11, 6));
  });

  it("puts a date that would be two months past into next year: a December page's January", () => {
    expect(parseReleaseDate({ text: '01月03日上映', today: DEC_5 })).toBe(Date.UTC(2025, 0, 3));
    expect(parseReleaseDate({ text: '10月20日上映', today: DEC_5 })).toBe(Date.UTC(2024, 9, 20));
  });

  it("puts a January page's late December into last year", () => {
    const jan10 = Date.UTC(2025, 0, 10);
    expect(parseReleaseDate({ text: '12月28日上映', today: jan10 })).toBe(Date.UTC(2024, 11, 28));
    expect(parseReleaseDate({ text: '11月01日上映', today: jan10 })).toBe(Date.UTC(2025, 10, 1));
  });

  it("uses Beijing's calendar day: 23:30 UTC on Dec 31 is already January 1st", () => {
    const newYear = Date.UTC(2024, 11, 31, 23, 30);
    expect(parseReleaseDate({ text: '11月01日上映', today: newYear })).toBe(Date.UTC(2025, 10, 1));
  });

  it('reads a date with its year, and an ISO date', () => {
    expect(parseReleaseDate({ text: '2026年02月14日上映', today: DEC_5 })).toBe(Date.UTC(2026, 1, 14));
    expect(parseReleaseDate({ text: '2025-03-01(中国大陆)', today: DEC_5 })).toBe(Date.UTC(2025, 2, 1));
  });

  it('is null for no date, no such date, or a text without one', () => {
    for (const text of [
      null,
      '',
      '待定',
      '2025年上映',
      '13月01日上映',
      '02月30日上映',
      '00月10日上映',
      '2025-02-29',
    ]) {
      expect(parseReleaseDate({ text, today: DEC_5 }), String(text)).toBeNull();
    }
  });

  it('finds 2月29日 in the leap year within reach', () => {
    expect(parseReleaseDate({ text: '02月29日上映', today: Date.UTC(2027, 11, 1) })).toBe(
      Date.UTC(2028, 1, 29),
    );
  });
});
