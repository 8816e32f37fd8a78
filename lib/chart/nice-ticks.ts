/**
 * Round tick values that cover `[min, max]` in about `count` steps of 1, 2 or 5 × 10^n (the steps a
 * reader counts in), and the domain they span, which starts and ends on a tick. A flat range (one
 * value) is widened by `flatPad` each side, so a film whose score never moved still gets an axis.
 */
export function niceTicks({
  min,
  max,
  count = 4,
  flatPad = 1,
  minStep = 0,
}: {
  min: number;
  max: number;
  count?: number;
  flatPad?: number;
  /** The finest step worth a tick: 0.1 for scores (Douban gives one decimal), 1 for counts. */
  minStep?: number;
}): { domain: [number, number]; ticks: number[]; step: number } {
  let low = min;
  let high = max;
  if (high - low <= 0) {
    low -= flatPad;
    high += flatPad;
  }
  const rough = (high - low) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const ratio = rough / power;
  const step = Math.max(minStep, (ratio >= 7.07 ? 10 : ratio >= 3.16 ? 5 : ratio >= 1.41 ? 2 : 1) * power);
  // Ticks are multiples of the step, counted as integers so 0.1 + 0.2 never prints 0.30000000000000004.
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: number[] = [];
  for (let index = first; index <= last; index += 1) ticks.push(Number((index * step).toFixed(decimals)));
  return { domain: [ticks[0] ?? low, ticks.at(-1) ?? high], ticks, step };
}
