import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/errors';
import { thrownBy } from '@/test/thrown-by';
import { checkOrigin } from './check-origin';

const host = 'board.example:3000';
const check = (headers: { origin?: string; fetchSite?: string }, allowed: string[] = []) =>
  checkOrigin({ origin: headers.origin ?? null, fetchSite: headers.fetchSite ?? null, host, allowed });

describe('checkOrigin', () => {
  it('lets our own pages, typed URLs and clients that are not browsers open the stream', () => {
    expect(check({})).toBeNull();
    expect(check({ fetchSite: 'same-origin' })).toBeNull();
    expect(check({ fetchSite: 'none' })).toBeNull();
    expect(check({ origin: 'http://board.example:3000', fetchSite: 'same-origin' })).toBeNull();
  });

  it.each([
    [{ fetchSite: 'cross-site' }],
    [{ origin: 'https://evil.example', fetchSite: 'cross-site' }],
    [{ origin: 'https://evil.example' }],
    [{ origin: 'http://board.example:3001', fetchSite: 'same-site' }],
    [{ origin: 'null' }],
  ])('refuses another site %j with a 403 that says how to be allowed', (headers) => {
    const error = thrownBy(HttpError, () => check(headers));
    expect(error).toMatchObject({ status: 403, code: 'cross-site' });
    expect(error.message).toContain('ALLOWED_ORIGINS');
  });

  it('answers an allowed origin with itself, for Access-Control-Allow-Origin', () => {
    const allowed = ['https://friend.example'];
    expect(check({ origin: 'https://friend.example', fetchSite: 'cross-site' }, allowed)).toBe(
      'https://friend.example',
    );
    expect(() => check({ origin: 'https://friend.example.evil', fetchSite: 'cross-site' }, allowed)).toThrow(
      HttpError,
    );
  });
});
