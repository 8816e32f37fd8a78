import type { ChartPanel, FilmChart as FilmChartModel } from '@/lib/chart/build-film-chart';

function Panel({ chart, panel }: { chart: FilmChartModel; panel: ChartPanel }) {
  const { plot } = chart;
  const titleId = `film-chart-${panel.metric}-title`;
  const descId = `film-chart-${panel.metric}-desc`;
  return (
    <figure className="chart" data-testid="film-chart" data-metric={panel.metric}>
      <figcaption className="chart-caption">
        <span className="chart-title">{panel.title}</span>
        <span className="chart-start">{chart.startLabel}</span>
      </figcaption>
      <svg
        className="chart-svg"
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
      >
        <title id={titleId}>{`${panel.title}，${chart.startLabel}`}</title>
        <desc id={descId}>{panel.summary}</desc>
        <g className="chart-grid">
          {panel.yTicks.map((tick) => (
            <g key={tick.label}>
              <line x1={plot.left} x2={plot.right} y1={tick.y} y2={tick.y} />
              <text x={plot.left - 8} y={tick.y} dy="0.32em" textAnchor="end">
                {tick.label}
              </text>
            </g>
          ))}
        </g>
        <g className="chart-axis">
          <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} />
          {panel.xTicks.map((tick) => (
            <g key={tick.x}>
              <line x1={tick.x} x2={tick.x} y1={plot.bottom} y2={plot.bottom + 4} />
              <text x={tick.x} y={plot.bottom + 18} textAnchor="middle">
                {tick.label}
              </text>
            </g>
          ))}
        </g>
        {panel.marks.map((mark) => (
          <g key={mark.label} className="chart-mark" data-testid="chart-mark">
            <line x1={mark.x} x2={mark.x} y1={plot.top} y2={plot.bottom} />
            <text x={mark.x + 4} y={plot.top - 6}>
              {mark.label}
            </text>
          </g>
        ))}
        <path className="chart-line" d={panel.path} />
        {panel.dots.map((dot) => (
          <circle key={dot.at} className="chart-dot" data-testid="chart-point" cx={dot.x} cy={dot.y} r={3.5}>
            <title>{dot.label}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}

/**
 * A film's history as SVG, one panel per metric, drawn from `buildFilmChart`'s model. A plain
 * component: the server renders it into the page (no JavaScript needed) and the film page's live
 * leaf renders it again when a point arrives.
 */
export function FilmChart({ chart }: { chart: FilmChartModel }) {
  if (chart.panels.length === 0) {
    return <p className="empty">{chart.startLabel}还没有评分、评价人数或想看人数的记录。</p>;
  }
  return (
    <div className="charts">
      {chart.panels.map((panel) => (
        <Panel key={panel.metric} chart={chart} panel={panel} />
      ))}
    </div>
  );
}
