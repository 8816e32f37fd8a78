import { describe, expect, it } from 'vitest';
import { parseLastEventId } from './parse-last-event-id';

describe('parseLastEventId', () => {
  it('reads the header, which wins over the query', () => {
    expect(parseLastEventId({ header: '1795600573317', query: '5' })).toBe(1795600573317);
    expect(parseLastEventId({ header: null, query: '42' })).toBe(42);
  });

  it.each([
    ['nothing', null],
    ['an empty value', ''],
    ['letters', 'abc'],
    ['a negative number', '-1'],
    ['a fraction', '1.5'],
    ['more than 16 digits', '1'.repeat(17)],
    ['CR/LF', '12\r\n34'],
    ['NUL', '12\u000034'],
    ['full-width digits', '１２'],
  ])('turns %s into null, which earns a snapshot', (_, value) => {
    expect(parseLastEventId({ header: value, query: null })).toBeNull();
  });
});
