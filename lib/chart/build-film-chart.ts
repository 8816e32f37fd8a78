import type { FilmPoint } from '@/lib/schema/trend';
import { buildStepPath, type TimedValue } from './build-step-path';
import { formatMonthDay, formatMonthDayClock } from './format-china-date';
import { niceTicks } from './nice-ticks';
import { scaleLinear } from './scale-linear';
import { timeTicks } from './time-ticks';

// No `server-only`: the server renders the first chart and the film page's client leaf builds it
// again from the same function when a point arrives.

export type ChartMetric = 'score' | 'votes' | 'wish';

export interface ChartPanel {
  metric: ChartMetric;
  /** "豆瓣评分", "评价人数", "想看人数". */
  title: string;
  /** One sentence for screen readers: first and last value, how many points. */
  summary: string;
  path: string;
  /** Each recorded value, unless there are too many to draw one by one (then the last only). */
  dots: Array<{ x: number; y: number; at: number; value: number; label: string }>;
  yTicks: Array<{ y: number; label: string }>;
  xTicks: Array<{ x: number; label: string }>;
  /** 开分, when it falls within the chart. */
  marks: Array<{ x: number; label: string }>;
}

export interface FilmChart {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  /** "自 11月29日 起": where our history of the film starts; nothing is drawn before it. */
  startLabel: string;
  panels: ChartPanel[];
}

const WIDTH = 720;
const HEIGHT = 200;
const PLOT = { left: 64, right: WIDTH - 16, top: 20, bottom: HEIGHT - 28 };
/** Past this many points, single dots would blur into the line and weigh down the page. */
const MAX_DOTS = 150;
/** A history of one instant still gets a minute of axis, so its point is not on the edge of nothing. */
const MIN_SPAN_MS = 60_000;

const TITLES: Record<ChartMetric, string> = { score: '豆瓣评分', votes: '评价人数', wish: '想看人数' };

/** "9.1"; counts as "8,765" or, from 10,000 on, "1.2万". */
export function formatChartValue(metric: ChartMetric, value: number): string {
  if (metric === 'score') return value.toFixed(1);
  if (value >= 10_000) return `${Number((value / 10_000).toFixed(value >= 1_000_000 ? 0 : 1))}万`;
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The metrics a film's history can draw: its score once rated, and votes, else 想看. */
function chooseMetrics(points: readonly FilmPoint[]): ChartMetric[] {
  const has = (metric: ChartMetric) => points.some((point) => point[metric] !== null);
  const metrics: ChartMetric[] = has('score') ? ['score'] : [];
  if (has('votes')) metrics.push('votes');
  else if (has('wish')) metrics.push('wish');
  return metrics;
}

function buildPanel({
  metric,
  points,
  x,
  end,
  xTicks,
  ratedAt,
}: {
  metric: ChartMetric;
  points: readonly FilmPoint[];
  x: (at: number) => number;
  end: number;
  xTicks: ChartPanel['xTicks'];
  ratedAt: number | null;
}): ChartPanel {
  const values: TimedValue[] = points.map((point) => ({ at: point.at, value: point[metric] }));
  const known = values.filter((entry): entry is { at: number; value: number } => entry.value !== null);
  const numbers = known.map((entry) => entry.value);
  const low = Math.min(...numbers);
  const high = Math.max(...numbers);
  const nice =
    metric === 'score'
      ? niceTicks({ min: low, max: high, flatPad: 0.5, minStep: 0.1 })
      : niceTicks({ min: low, max: high, flatPad: Math.max(1, Math.round(high * 0.05)), minStep: 1 });
  const ceiling = metric === 'score' ? 10 : Number.POSITIVE_INFINITY;
  const ticks = nice.ticks.filter((tick) => tick >= 0 && tick <= ceiling);
  const domain: [number, number] = [Math.max(0, nice.domain[0]), Math.min(ceiling, nice.domain[1])];
  const y = scaleLinear({ domain, range: [PLOT.bottom, PLOT.top] });
  const shown = known.length <= MAX_DOTS ? known : known.slice(-1);
  const first = known[0];
  const last = known.at(-1);
  const title = TITLES[metric];
  return {
    metric,
    title,
    summary:
      first && last
        ? `${title}：${formatMonthDay(first.at)} ${formatChartValue(metric, first.value)}，` +
          `${formatMonthDay(last.at)} ${formatChartValue(metric, last.value)}，共 ${known.length} 个记录点。`
        : `${title}：没有记录。`,
    path: buildStepPath({ values, end, x, y }),
    dots: shown.map(({ at, value }) => ({
      x: x(at),
      y: y(value),
      at,
      value,
      label: `${formatMonthDayClock(at)} ${formatChartValue(metric, value)}`,
    })),
    yTicks: ticks.map((tick) => ({ y: y(tick), label: formatChartValue(metric, tick) })),
    xTicks,
    marks: ratedAt === null ? [] : [{ x: x(ratedAt), label: `开分 ${formatMonthDay(ratedAt)}` }],
  };
}

/**
 * The chart of a film's whole recorded history at `now`: one panel per metric (score when rated;
 * votes, else 想看) on a shared time axis from the first time we saw the film to `now`, each value
 * held until the next (see `buildStepPath`), 开分 marked. Pure: the same input draws the same SVG on
 * the server and in the browser, so `now` is passed in, never read from the clock.
 */
export function buildFilmChart({
  points,
  firstSeenAt,
  ratedAt,
  now,
}: {
  /** Oldest first, as GET /api/movies/<id>/history gives them. */
  points: readonly FilmPoint[];
  firstSeenAt: number;
  ratedAt: number | null;
  now: number;
}): FilmChart {
  const from = Math.min(firstSeenAt, points[0]?.at ?? firstSeenAt);
  const to = Math.max(now, points.at(-1)?.at ?? now, from + MIN_SPAN_MS);
  const x = scaleLinear({ domain: [from, to], range: [PLOT.left, PLOT.right] });
  const xTicks = timeTicks({ from, to }).map((tick) => ({ x: x(tick.at), label: tick.label }));
  const rated = ratedAt !== null && ratedAt >= from && ratedAt <= to ? ratedAt : null;
  return {
    width: WIDTH,
    height: HEIGHT,
    plot: PLOT,
    startLabel: `自 ${formatMonthDay(from)} 起`,
    panels: chooseMetrics(points).map((metric) =>
      buildPanel({ metric, points, x, end: to, xTicks, ratedAt: rated }),
    ),
  };
}
