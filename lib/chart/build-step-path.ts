/** A value at a time, `null` when there was none (a film not yet rated, a count Douban stopped showing). */
export interface TimedValue {
  at: number;
  value: number | null;
}

/**
 * The SVG path of a step line: each value holds from its time until the next one (or `end`), which
 * is what a recorded point means (we record a value when it changes), so nothing is interpolated
 * between two polls. A `null` value breaks the line. `x` and `y` map time and value to the plot.
 */
export function buildStepPath({
  values,
  end,
  x,
  y,
}: {
  values: readonly TimedValue[];
  end: number;
  x: (at: number) => number;
  y: (value: number) => number;
}): string {
  const parts: string[] = [];
  let drawing = false;
  values.forEach(({ at, value }, index) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const until = values[index + 1]?.at ?? Math.max(end, at);
    const top = round(y(value));
    parts.push(drawing ? `V${top}` : `M${round(x(at))} ${top}`, `H${round(x(until))}`);
    drawing = true;
  });
  return parts.join('');
}

/** Two decimals are finer than a pixel and keep the markup short. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
