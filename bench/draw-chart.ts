// The bench's chart, hand-written SVG: p99 delivery latency and memory per open stream against N,
// both targets, one panel each.
import { type BenchResults, describeMachine } from './format-report';
import type { TargetResult } from './measure-target';

const SERIES = [
  { target: 'app', label: 'app (npm start)', color: '#d9480f' },
  { target: 'reference', label: 'bare Node reference', color: '#1971c2' },
] as const;

const PANEL = { width: 420, height: 300, left: 64, right: 28, top: 40, bottom: 48 };

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A round upper bound and step for `max`, so that the axis has 4–5 ticks at round values. */
function niceAxis(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  return { top: Math.ceil(max / step) * step, step };
}

function panel({
  x0,
  title,
  unit,
  runs,
  value,
}: {
  x0: number;
  title: string;
  unit: string;
  runs: TargetResult[];
  value: (run: TargetResult) => number;
}): string {
  const ns = [...new Set(runs.map((run) => run.n))].sort((a, b) => a - b);
  const maxN = Math.max(...ns);
  const values = runs.map(value).filter(Number.isFinite);
  const { top, step } = niceAxis(Math.max(0, ...values));
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const x = (n: number) => x0 + PANEL.left + (n / maxN) * plotW;
  const y = (v: number) => PANEL.top + plotH - (v / top) * plotH;
  const parts: string[] = [
    `<text x="${x0 + PANEL.left}" y="22" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
  ];
  for (let v = 0; v <= top + step / 2; v += step) {
    const label = Number(v.toPrecision(6)).toLocaleString('en-US');
    parts.push(
      `<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e9ecef"/>`,
      `<text x="${x0 + PANEL.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${label}</text>`,
    );
  }
  for (const n of ns) {
    parts.push(
      `<line x1="${x(n)}" x2="${x(n)}" y1="${PANEL.top + plotH}" y2="${PANEL.top + plotH + 4}" stroke="#495057"/>`,
      `<text x="${x(n)}" y="${PANEL.top + plotH + 18}" font-size="11" text-anchor="middle">${n.toLocaleString('en-US')}</text>`,
    );
  }
  parts.push(
    `<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + plotW}" y1="${PANEL.top + plotH}" y2="${PANEL.top + plotH}" stroke="#495057"/>`,
    `<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left}" y1="${PANEL.top}" y2="${PANEL.top + plotH}" stroke="#495057"/>`,
    `<text x="${x0 + PANEL.left + plotW / 2}" y="${PANEL.height - 8}" font-size="12" text-anchor="middle">N, open streams</text>`,
    `<text transform="translate(${x0 + 14} ${PANEL.top + plotH / 2}) rotate(-90)" font-size="12" text-anchor="middle">${escapeXml(unit)}</text>`,
  );
  for (const { target, color } of SERIES) {
    const points = runs
      .filter((run) => run.target === target && Number.isFinite(value(run)))
      .sort((a, b) => a.n - b.n)
      .map((run) => [x(run.n), y(value(run))] as const);
    if (points.length === 0) continue;
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map((p) => p.join(',')).join(' ')}"/>`,
      ...points.map(([px, py]) => `<circle cx="${px}" cy="${py}" r="3.5" fill="${color}"/>`),
    );
  }
  return parts.join('\n');
}

export function drawChart(results: BenchResults): string {
  const width = PANEL.width * 2 + 20;
  const height = PANEL.height + 56;
  const legend = SERIES.map(
    ({ label, color }, i) =>
      `<rect x="${PANEL.left + i * 200}" y="${PANEL.height + 10}" width="12" height="12" fill="${color}"/>` +
      `<text x="${PANEL.left + i * 200 + 18}" y="${PANEL.height + 20}" font-size="12">${escapeXml(label)}</text>`,
  ).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" fill="#212529">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    panel({
      x0: 0,
      title: 'p99 delivery latency',
      unit: 'ms',
      runs: results.runs,
      value: (run) => run.latencyMs.p99,
    }),
    panel({
      x0: PANEL.width + 20,
      title: 'memory per open stream',
      unit: 'KB of RSS',
      runs: results.runs,
      value: (run) => run.memory.rssPerStream / 1024,
    }),
    legend,
    `<text x="${width - 8}" y="${height - 10}" font-size="10" text-anchor="end" fill="#868e96">${escapeXml(
      `${results.date} · ${describeMachine(results.machine)}`,
    )}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
