import { describe, expect, it } from 'vitest';
import { niceTicks } from './nice-ticks';

describe('niceTicks', () => {
  it('covers a score range in steps of 0.1 without float noise', () => {
    expect(niceTicks({ min: 9.1, max: 9.4, minStep: 0.1 })).toEqual({
      domain: [9.1, 9.4],
      ticks: [9.1, 9.2, 9.3, 9.4],
      step: 0.1,
    });
  });

  it('steps in 1, 2 or 5 times a power of ten and ends on ticks outside the data', () => {
    const { ticks, domain, step } = niceTicks({ min: 12_340, max: 18_900 });
    expect(step).toBe(2000);
    expect(ticks).toEqual([12_000, 14_000, 16_000, 18_000, 20_000]);
    expect(domain).toEqual([12_000, 20_000]);
  });

  it('widens a flat range by flatPad each side', () => {
    expect(niceTicks({ min: 7, max: 7, flatPad: 0.5, minStep: 0.1 }).domain).toEqual([6.4, 7.6]);
  });

  it('never steps finer than minStep', () => {
    expect(niceTicks({ min: 3, max: 4, count: 4, minStep: 1 }).ticks).toEqual([3, 4]);
  });
});
