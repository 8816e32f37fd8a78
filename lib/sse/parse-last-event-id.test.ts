import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/errors';
import { thrownBy } from '@/test/thrown-by';
import { parseLastEventId } from './parse-last-event-id';

/** The HttpError that parsing `input` throws. */
const errorOf = (input: Parameters<typeof parseLastEventId>[0]) =>
  thrownBy(HttpError, () => parseLastEventId(input));

describe('parseLastEventId', () => {
  it('reads the header, which wins over the query', () => {
    expect(parseLastEventId({ header: '1795600573317', query: '5' })).toBe(1795600573317);
    expect(parseLastEventId({ header: null, query: ['42'] })).toBe(42);
    expect(parseLastEventId({ header: '0', query: null })).toBe(0);
    expect(parseLastEventId({ header: String(Number.MAX_SAFE_INTEGER), query: null })).toBe(
      Number.MAX_SAFE_INTEGER,
    );
  });

  it.each([
    ['nothing', null, null],
    ['empty values', '', []],
    ['an empty query value', null, ['']],
  ])('reads %s as no version, which earns a snapshot', (_, header, query) => {
    expect(parseLastEventId({ header, query })).toBeNull();
  });

  it.each([
    ['letters', 'abc'],
    ['a negative number', '-1'],
    ['a plus sign', '+1'],
    ['a fraction', '1.5'],
    ['an exponent', '1e400'],
    ['leading zeros', '007'],
    ['hex', '0x10'],
    ['one past MAX_SAFE_INTEGER', '9007199254740992'],
    ['17 digits', '1'.repeat(17)],
    ['a very long value', '9'.repeat(10_000)],
    ['CR/LF', '12\r\n34'],
    ['NUL', '12\u000034'],
    ['full-width digits', '１２'],
    ['Chinese', '上海'],
    ['a path', '../etc/passwd'],
    ['two ids joined by a repeated header', '12, 34'],
  ])('refuses %s with a 400 naming the header and the query', (_, value) => {
    const fromHeader = errorOf({ header: value, query: null });
    expect(fromHeader).toMatchObject({ status: 400, code: 'bad-last-event-id' });
    expect(fromHeader.message).toMatch(/^The Last-Event-ID header is /);
    const fromQuery = errorOf({ header: null, query: [value] });
    expect(fromQuery).toMatchObject({ status: 400, code: 'bad-last-event-id' });
    expect(fromQuery.message).toMatch(/^The lastEventId parameter is /);
  });

  it('says how long a too-long value is, without echoing it', () => {
    const message = errorOf({ header: '9'.repeat(10_000), query: null }).message;
    expect(message).toContain('10000 characters long');
    expect(message.length).toBeLessThan(200);
  });

  it('refuses a bad query even when a good header wins', () => {
    expect(errorOf({ header: '5', query: ['x'] }).message).toMatch(/lastEventId parameter/);
  });

  it('refuses a repeated lastEventId parameter', () => {
    expect(errorOf({ header: null, query: ['1', '2'] })).toMatchObject({ code: 'bad-last-event-id' });
  });
});
