import { describe, expect, it } from 'vitest';
import { parsePolledAt } from './parse-polled-at';

const now = 1_764_000_000_000;

describe('parsePolledAt', () => {
  it('reads the time a poll was recorded', () => {
    expect(parsePolledAt(String(now - 500), now)).toBe(now - 500);
    expect(parsePolledAt('0', now)).toBe(0);
  });

  it('counts a missing time as never polled', () => {
    expect(parsePolledAt(null, now)).toBeNull();
    expect(parsePolledAt('', now)).toBeNull();
  });

  it('counts garbage, a negative or a far-future time as never polled', () => {
    for (const raw of ['abc', 'NaN', 'Infinity', '-5', '1e3', '12.5', ' 12', '0x10', '9'.repeat(40)]) {
      expect(parsePolledAt(raw, now), raw).toBeNull();
    }
    expect(parsePolledAt(String(now + 86_400_000), now)).toBeNull();
  });

  it('allows a little clock skew between instances', () => {
    expect(parsePolledAt(String(now + 1_000), now)).toBe(now + 1_000);
  });
});
