export interface Spread {
  count: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of the finite values; NaN for each figure when there is none. */
export function spreadOf(values: Iterable<number>): Spread {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: rank(50),
    p99: rank(99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}
