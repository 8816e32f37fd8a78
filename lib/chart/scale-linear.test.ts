import { describe, expect, it } from 'vitest';
import { scaleLinear } from './scale-linear';

describe('scaleLinear', () => {
  it('maps the domain onto a range that runs downwards, as an SVG y axis does', () => {
    const y = scaleLinear({ domain: [0, 10], range: [200, 0] });
    expect(y(0)).toBe(200);
    expect(y(10)).toBe(0);
    expect(y(2.5)).toBe(150);
  });

  it('maps a one-value domain to the middle instead of dividing by zero', () => {
    expect(scaleLinear({ domain: [5, 5], range: [0, 100] })(5)).toBe(50);
  });
});
