import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/errors';
import { parsePosterUrl } from './parse-poster-url';

describe('parsePosterUrl', () => {
  it('accepts a Douban poster URL', () => {
    const url = 'https://img2.doubanio.com/view/photo/s_ratio_poster/public/p2915454411.jpg';
    expect(parsePosterUrl(url).href).toBe(url);
  });

  it.each([
    ['nothing', null],
    ['not a URL', 'poster.jpg'],
    ['plain http', 'http://img1.doubanio.com/view/photo/p1.jpg'],
    ['another host', 'https://example.com/view/photo/p1.jpg'],
    ['a look-alike host', 'https://img1.doubanio.com.evil.example/view/p1.jpg'],
    ['user info', 'https://img1.doubanio.com@evil.example/view/p1.jpg'],
    ['credentials', 'https://user:pass@img1.doubanio.com/view/p1.jpg'],
    ['another port', 'https://img1.doubanio.com:444/view/p1.jpg'],
    ['an IP literal', 'https://10.0.0.1/view/p1.jpg'],
    ['another path', 'https://img1.doubanio.com/icon/u1.jpg'],
    ['an encoded traversal', 'https://img1.doubanio.com/view/%2e%2e/secret'],
    ['a very long URL', `https://img1.doubanio.com/view/${'a'.repeat(600)}.jpg`],
  ])('refuses %s with a 400', (_, input) => {
    let error: unknown;
    try {
      parsePosterUrl(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400, code: 'bad-poster-url' });
  });
});
