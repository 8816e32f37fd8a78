import type { Trend } from '@/lib/types';
import { formatCount } from './trend-marks';

const NAMES = { score: '评分', votes: '评价人数', wish: '想看人数' } as const;

function formatValue(of: keyof typeof NAMES, value: number): string {
  return of === 'score' ? value.toFixed(1) : formatCount(value);
}

/**
 * A sparkline's polyline `points` in a `width`×`height` box (the lowest value at the bottom, the
 * highest at the top, `inset` from the edges so the stroke is not clipped), and what it says in words:
 * "评分走势：8.1→8.4". Attributes only, no style: the page's CSP allows no inline style sheets.
 */
export function drawSparkline({
  spark,
  width,
  height,
  inset = 2,
}: {
  spark: NonNullable<Trend['spark']>;
  width: number;
  height: number;
  inset?: number;
}): { points: string; label: string } {
  const { of, values } = spark;
  const low = Math.min(...values);
  const range = Math.max(...values) - low;
  const step = values.length > 1 ? (width - 2 * inset) / (values.length - 1) : 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  const points = values
    .map((value, i) => {
      // A flat line (the server sends none, but a client must not divide by zero) sits in the middle.
      const share = range === 0 ? 0.5 : (value - low) / range;
      return `${round(inset + i * step)},${round(height - inset - share * (height - 2 * inset))}`;
    })
    .join(' ');
  const first = values[0] ?? 0;
  const last = values.at(-1) ?? 0;
  return { points, label: `${NAMES[of]}走势：${formatValue(of, first)}→${formatValue(of, last)}` };
}
