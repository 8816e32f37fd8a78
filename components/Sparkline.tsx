import type { Trend } from '@/lib/types';
import { drawSparkline } from './draw-sparkline';

const WIDTH = 96;
const HEIGHT = 24;

/**
 * A small line of the movie's recent days, plain SVG so the server renders it with the card. The
 * drawing is hidden from screen readers; its label says where the line starts and ends.
 */
export function Sparkline({ spark }: { spark: NonNullable<Trend['spark']> }) {
  const { points, label } = drawSparkline({ spark, width: WIDTH, height: HEIGHT });
  const last = points.split(' ').at(-1)?.split(',') ?? [];
  return (
    <span className="sparkline" role="img" aria-label={label} data-testid="sparkline" data-of={spark.of}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        aria-hidden="true"
        focusable="false"
      >
        <polyline
          points={points}
          fill="none"
          stroke="currentColor"
          strokeWidth={1.5}
          strokeLinejoin="round"
        />
        <circle cx={last[0]} cy={last[1]} r={2} fill="currentColor" />
      </svg>
    </span>
  );
}
