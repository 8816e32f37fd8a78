import { describe, expect, it } from 'vitest';
import type { FilmPoint } from '@/lib/types';
import { buildFilmChart, formatChartValue } from './build-film-chart';

const nov29 = Date.UTC(2026, 10, 28, 16); // 11月29日 00:00 in Beijing
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// A film seen upcoming (想看 only), then in cinemas unrated, then rated (开分) and rising.
const points: FilmPoint[] = [
  { at: nov29 + 10 * HOUR, score: null, votes: null, wish: 5_000 },
  { at: nov29 + DAY + 10 * HOUR, score: null, votes: 800, wish: null },
  { at: nov29 + 2 * DAY + 10 * HOUR, score: 8.1, votes: 12_000, wish: null },
  { at: nov29 + 3 * DAY + 10 * HOUR, score: 8.3, votes: 35_000, wish: null },
];
const chart = buildFilmChart({
  points,
  firstSeenAt: points[0]?.at ?? 0,
  ratedAt: points[2]?.at ?? null,
  now: nov29 + 4 * DAY,
});
const [score, votes] = chart.panels;

describe('buildFilmChart', () => {
  it('says where the history starts, and draws nothing before it', () => {
    expect(chart.startLabel).toBe('自 11月29日 起');
    expect(score?.path.startsWith(`M${Math.round(dotX(2) * 100) / 100} `)).toBe(true);
    expect(votes?.dots[0]?.x).toBeGreaterThan(chart.plot.left);
  });

  it('draws the score once rated, and votes rather than 想看 when there are votes', () => {
    expect(chart.panels.map((panel) => panel.metric)).toEqual(['score', 'votes']);
    expect(score?.dots.map((dot) => dot.value)).toEqual([8.1, 8.3]);
    expect(votes?.dots.map((dot) => dot.value)).toEqual([800, 12_000, 35_000]);
  });

  it('puts the first point on the left edge and now on the right one', () => {
    const first = buildFilmChart({
      points,
      firstSeenAt: points[0]?.at ?? 0,
      ratedAt: null,
      now: nov29 + 4 * DAY,
    });
    const wish = buildFilmChart({
      points: points.slice(0, 1),
      firstSeenAt: points[0]?.at ?? 0,
      ratedAt: null,
      now: nov29 + 4 * DAY,
    }).panels[0];
    expect(wish?.metric).toBe('wish');
    expect(wish?.dots[0]?.x).toBe(first.plot.left);
    expect(wish?.path.endsWith(`H${first.plot.right}`)).toBe(true);
  });

  it('places higher values higher, within the plot, with ticks around them', () => {
    const [low, high] = score?.dots ?? [];
    expect(high?.y).toBeLessThan(low?.y ?? 0);
    for (const dot of [...(score?.dots ?? []), ...(votes?.dots ?? [])]) {
      expect(dot.y).toBeGreaterThanOrEqual(chart.plot.top);
      expect(dot.y).toBeLessThanOrEqual(chart.plot.bottom);
    }
    expect(score?.yTicks.map((tick) => tick.label)).toEqual(['8.1', '8.2', '8.3']);
    expect(votes?.yTicks.at(-1)?.label).toBe('4万');
  });

  it('marks 开分 with its date, and labels days on the time axis', () => {
    expect(score?.marks).toEqual([{ x: dotX(2), label: '开分 12月1日' }]);
    expect(score?.xTicks.map((tick) => tick.label)).toEqual(['11月30日', '12月1日', '12月2日', '12月3日']);
  });

  it('labels each dot with its Beijing time and value, and sums the panel up', () => {
    expect(score?.dots[0]?.label).toBe('12月1日 10:00 8.1');
    expect(votes?.summary).toBe('评价人数：11月30日 800，12月2日 3.5万，共 3 个记录点。');
  });

  it('draws one dot, not thousands, for a long history', () => {
    const many = Array.from({ length: 500 }, (_, index) => ({
      at: nov29 + index * HOUR,
      score: 7 + (index % 10) / 10,
      votes: 1000 + index,
      wish: null,
    }));
    const long = buildFilmChart({ points: many, firstSeenAt: nov29, ratedAt: null, now: nov29 + 500 * HOUR });
    expect(long.panels[0]?.dots).toHaveLength(1);
    expect(long.panels[0]?.path.split('V')).toHaveLength(500);
  });

  it('gives an unrated film with no counts no panel', () => {
    const bare = buildFilmChart({
      points: [{ at: nov29, score: null, votes: null, wish: null }],
      firstSeenAt: nov29,
      ratedAt: null,
      now: nov29,
    });
    expect(bare.panels).toEqual([]);
  });
});

describe('formatChartValue', () => {
  it('prints scores with one decimal and counts in 万 from ten thousand', () => {
    expect(formatChartValue('score', 9)).toBe('9.0');
    expect(formatChartValue('votes', 8765)).toBe('8,765');
    expect(formatChartValue('votes', 12_345)).toBe('1.2万');
    expect(formatChartValue('wish', 20_000)).toBe('2万');
    expect(formatChartValue('votes', 1_234_567)).toBe('123万');
  });
});

/** Where the point at `index` lands on the x axis of `chart`. */
function dotX(index: number): number {
  const from = points[0]?.at ?? 0;
  const to = nov29 + 4 * DAY;
  return (
    chart.plot.left + (((points[index]?.at ?? 0) - from) * (chart.plot.right - chart.plot.left)) / (to - from)
  );
}
