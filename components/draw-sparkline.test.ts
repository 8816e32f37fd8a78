import { describe, expect, it } from 'vitest';
import { drawSparkline } from './draw-sparkline';

describe('drawSparkline', () => {
  it('spans the box, lowest value at the bottom and highest at the top', () => {
    const { points } = drawSparkline({ spark: { of: 'score', values: [8, 9, 8.5] }, width: 100, height: 20 });
    expect(points).toBe('2,18 50,2 98,10');
  });

  it('says where the line starts and ends, in the metric it draws', () => {
    expect(drawSparkline({ spark: { of: 'score', values: [8.1, 8.4] }, width: 96, height: 24 }).label).toBe(
      '评分走势：8.1→8.4',
    );
    expect(
      drawSparkline({ spark: { of: 'votes', values: [9_000, 21_000] }, width: 96, height: 24 }).label,
    ).toBe('评价人数走势：9,000→2.1万');
    expect(drawSparkline({ spark: { of: 'wish', values: [10, 12] }, width: 96, height: 24 }).label).toBe(
      '想看人数走势：10→12',
    );
  });

  it('draws a flat series as a line across the middle', () => {
    const { points } = drawSparkline({ spark: { of: 'votes', values: [5, 5] }, width: 10, height: 10 });
    expect(points).toBe('2,5 8,5');
  });
});
