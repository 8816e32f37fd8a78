import { describe, expect, it } from 'vitest';
import { buildStepPath } from './build-step-path';

const identity = (value: number) => value;

describe('buildStepPath', () => {
  it('holds each value until the next one and the last one until the end', () => {
    const path = buildStepPath({
      values: [
        { at: 0, value: 10 },
        { at: 5, value: 20 },
        { at: 8, value: 15 },
      ],
      end: 12,
      x: identity,
      y: identity,
    });
    expect(path).toBe('M0 10H5V20H8V15H12');
  });

  it('breaks the line where there is no value, and starts again after it', () => {
    const path = buildStepPath({
      values: [
        { at: 0, value: null },
        { at: 2, value: 7 },
        { at: 4, value: null },
        { at: 6, value: 9 },
      ],
      end: 10,
      x: (at) => at * 10,
      y: (value) => 100 - value,
    });
    expect(path).toBe('M20 93H40M60 91H100');
  });

  it('draws nothing for no values', () => {
    expect(buildStepPath({ values: [], end: 1, x: identity, y: identity })).toBe('');
  });
});
