import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/errors';
import { thrownBy } from '@/test/thrown-by';
import { parseCity } from './parse-city';

/** The HttpError that parsing `input` throws. */
const errorOf = (input: Parameters<typeof parseCity>[0]) => thrownBy(HttpError, () => parseCity(input));

describe('parseCity', () => {
  it('returns the known city for a slug', () => {
    expect(parseCity('shanghai')).toEqual({ slug: 'shanghai', name: '上海', hot: true });
    expect(parseCity('shangrao')).toEqual({ slug: 'shangrao', name: '上饶', hot: false });
    expect(parseCity('118378')).toEqual({ slug: '118378', name: '榆林', hot: false });
  });

  it.each([null, undefined, ''])('answers 400 missing-city for %j', (input) => {
    const error = errorOf(input);
    expect(error).toMatchObject({ status: 400, code: 'missing-city' });
    expect(error.message).toContain('/api/cities');
    expect(error.details).toEqual({
      citiesUrl: '/api/cities',
      examples: expect.arrayContaining(['beijing']),
    });
  });

  it.each([{ values: [] }, { values: [''] }])(
    'answers 400 missing-city for the parameter values $values',
    ({ values }) => {
      expect(errorOf(values)).toMatchObject({ status: 400, code: 'missing-city' });
    },
  );

  it('reads the one value of a parameter', () => {
    expect(parseCity(['shanghai']).slug).toBe('shanghai');
  });

  it('answers 400 malformed-city for a repeated parameter, rather than picking one', () => {
    const error = errorOf(['shanghai', 'beijing']);
    expect(error).toMatchObject({ status: 400, code: 'malformed-city' });
    expect(error.message).toBe(
      'The city parameter is given 2 times; give it once. The list of cities is at /api/cities.',
    );
  });

  it.each([
    'Shanghai',
    ' shanghai',
    'shang hai',
    'shanghai/',
    '上海',
    'a'.repeat(41),
    '../etc/passwd',
    'shanghai\u0000',
    'shanghai\r\nX-Injected: 1',
    '%00',
    '-1',
  ])('answers 400 malformed-city for %j', (input) => {
    const error = errorOf(input);
    expect(error).toMatchObject({ status: 400, code: 'malformed-city' });
    expect(error.message).toContain('/api/cities');
    expect(error.details.citiesUrl).toBe('/api/cities');
  });

  it('answers 400 unknown-city for a well-formed slug Douban does not list', () => {
    const error = errorOf('atlantis');
    expect(error).toMatchObject({ status: 400, code: 'unknown-city' });
    expect(error.message).toBe(
      'The city "atlantis" is not one Douban lists. The list of cities is at /api/cities.',
    );
    expect(error.details).toEqual({
      citiesUrl: '/api/cities',
      examples: ['beijing', 'shanghai', 'guangzhou', 'shenzhen', 'chengdu'],
    });
  });

  it('quotes at most 40 characters of a long input', () => {
    const message = errorOf(`${'x'.repeat(40)}${'Q'.repeat(10_000)}`).message;
    expect(message).toContain(`"${'x'.repeat(40)}"…`);
    expect(message).not.toContain('Q');
    expect(message.length).toBeLessThan(250);
  });

  it('never echoes control, bidi or line-separator characters', () => {
    const message = errorOf('evil\r\n\u0000\u001b[31m\u202e\u2028\u0085').message;
    expect(message).toContain('"evil\\r\\n\\u0000\\u001b[31m\\u202e\\u2028\\u0085"');
    expect(message).not.toMatch(/[\p{C}\p{Zl}\p{Zp}]/u);
  });
});
