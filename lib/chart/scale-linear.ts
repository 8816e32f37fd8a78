/**
 * Maps `domain` onto `range` linearly (a range may run downwards, as an SVG's y does). A domain of
 * one value maps everything to the middle of the range rather than dividing by zero.
 */
export function scaleLinear({
  domain: [d0, d1],
  range: [r0, r1],
}: {
  domain: readonly [number, number];
  range: readonly [number, number];
}): (value: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const factor = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * factor;
}
