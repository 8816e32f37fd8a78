import { describe, expect, it } from 'vitest';
import { parseFailures } from './parse-failures';

describe('parseFailures', () => {
  it('reads a count of failed polls in a row', () => {
    expect(parseFailures('0')).toBe(0);
    expect(parseFailures('7')).toBe(7);
    expect(parseFailures('1000')).toBe(1000);
  });

  it('refuses a missing count, garbage, and counts past any backoff', () => {
    for (const raw of [null, '', 'abc', '-1', '1.5', '1e3', ' 3', '0x10', '1001', '9'.repeat(20)]) {
      expect(parseFailures(raw), String(raw)).toBeNull();
    }
  });
});
