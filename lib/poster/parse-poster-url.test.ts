import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/errors';
import { parsePosterUrl } from './parse-poster-url';

const POSTER = 'https://img2.doubanio.com/view/photo/s_ratio_poster/public/p2915454411.jpg';

describe('parsePosterUrl', () => {
  it('accepts a Douban poster URL, also as the only value of the parameter', () => {
    expect(parsePosterUrl(POSTER).href).toBe(POSTER);
    expect(parsePosterUrl([POSTER]).href).toBe(POSTER);
    const webp = 'https://img9.doubanio.com/view/photo/s_ratio_poster/public/p1.webp';
    expect(parsePosterUrl(webp).href).toBe(webp);
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
    ['a repeated parameter', [POSTER, POSTER]],
    ['an empty value', ''],
    ['a plain traversal', 'https://img1.doubanio.com/view/photo/../../etc/passwd.jpg'],
    ['a traversal the parser would fold away', 'https://img1.doubanio.com/view/x/../photo/p1.jpg'],
    ['an encoded slash', 'https://img1.doubanio.com/view/photo%2F..%2Fp1.jpg'],
    ['backslashes', 'https:\\\\img1.doubanio.com\\view\\photo\\p1.jpg'],
    ['CR/LF inside', 'https://img1.doubanio.com/vi\r\new/photo/p1.jpg'],
    ['a tab inside', 'https://img1.doubanio.com/view/\tphoto/p1.jpg'],
    ['a NUL', 'https://img1.doubanio.com/view/photo/p1.jpg\u0000'],
    ['a leading space', ' https://img1.doubanio.com/view/photo/p1.jpg'],
    ['a unicode host', 'https://img1.doubanio.cｏm/view/photo/p1.jpg'],
    ['an upper-case host', 'https://IMG1.doubanio.com/view/photo/p1.jpg'],
    ['a trailing-dot host', 'https://img1.doubanio.com./view/photo/p1.jpg'],
    ['an explicit :443', 'https://img1.doubanio.com:443/view/photo/p1.jpg'],
    ['an IPv6 literal', 'https://[::1]/view/photo/p1.jpg'],
    ['a decimal IP host', 'https://2130706433/view/photo/p1.jpg'],
    ['a query', `${POSTER}?v=1`],
    ['a fragment', `${POSTER}#x`],
    ['not an image', 'https://img1.doubanio.com/view/photo/p1.html'],
    ['a file URL', 'file:///etc/passwd'],
    ['a data URL', 'data:image/png;base64,AAAA'],
    ['a javascript URL', 'javascript:alert(1)'],
    ['ftp', 'ftp://img1.doubanio.com/view/photo/p1.jpg'],
    ['an image host Douban does not have (img0)', 'https://img0.doubanio.com/view/photo/p1.jpg'],
    ['an image host Douban does not have (img10)', 'https://img10.doubanio.com/view/photo/p1.jpg'],
    ['a host number with a leading zero', 'https://img01.doubanio.com/view/photo/p1.jpg'],
    ['an upper-case path', 'https://img1.doubanio.com/view/photo/P1.jpg'],
    ['an upper-case extension', 'https://img1.doubanio.com/view/photo/p1.JPG'],
  ])('refuses %s with a 400', (_, input) => {
    let error: unknown;
    try {
      parsePosterUrl(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400, code: 'bad-poster-url' });
    expect((error as HttpError).message).toMatch(/^The url .+ Only https:\/\/img<N>\.doubanio\.com\/view\//);
  });

  it.each([
    ['CR/LF', 'https://img1.doubanio.com/vi\r\new/photo/p1.jpg', 'control or non-ASCII'],
    ['user info', 'https://img1.doubanio.com@evil.example/view/p1.jpg', 'user info'],
    ['another host', 'https://10.0.0.1/view/p1.jpg', 'not on a Douban image host'],
    ['a long URL', `https://img1.doubanio.com/view/${'a'.repeat(600)}.jpg`, 'longer than 500'],
    ['a traversal', 'https://img1.doubanio.com/view/x/../photo/p1.jpg', 'plain form'],
  ])('says what is wrong with %s', (_, input, reason) => {
    expect(() => parsePosterUrl(input)).toThrow(reason);
  });
});
