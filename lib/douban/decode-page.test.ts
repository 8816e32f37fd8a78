import { describe, expect, it } from 'vitest';
import { encodeGb18030 } from '@/scripts/fake-douban/encode-gb18030';
import { thrownBy } from '@/test/thrown-by';
import { decodePage } from './decode-page';
import { UpstreamError } from './upstream-error';

const TITLE = '好东西';
const page = (head: string) => `<html><head>${head}<title>${TITLE}</title></head><body></body></html>`;
const utf8 = (text: string) => new TextEncoder().encode(text);

/** The reason of the UpstreamError that `run` throws. */
const reasonOf = (run: () => unknown) => thrownBy(UpstreamError, run).reason;

describe('encodeGb18030 (the fixture maker)', () => {
  it('writes 好东西 as the bytes GB18030 gives it', () => {
    expect(encodeGb18030(TITLE).toString('hex')).toBe('bac3b6abcef7');
  });
});

describe('decodePage', () => {
  it('reads UTF-8 when nothing declares a charset', () => {
    expect(decodePage({ bytes: utf8(page('')), contentType: 'text/html' })).toContain(TITLE);
    expect(decodePage({ bytes: utf8(page('')), contentType: null })).toContain(TITLE);
  });

  it.each([['text/html; charset=gb18030'], ['text/html; charset=GBK'], ['text/html;charset="gb2312"']])(
    'decodes by the Content-Type charset (%s), over a <meta> that says otherwise',
    (contentType) => {
      const bytes = encodeGb18030(page('<meta charset="utf-8">'));
      expect(decodePage({ bytes, contentType })).toContain(TITLE);
    },
  );

  it.each([
    ['<meta charset="gb18030">'],
    ["<meta charset='gbk' />"],
    ['<meta http-equiv="Content-Type" content="text/html; charset=gbk">'],
    ['<META HTTP-EQUIV="content-type" CONTENT="text/html;charset=GB2312">'],
  ])('decodes by a <meta> in the first bytes when the header has no charset: %s', (meta) => {
    expect(decodePage({ bytes: encodeGb18030(page(meta)), contentType: 'text/html' })).toContain(TITLE);
  });

  it('reads a page labelled gbk as GB18030, four-byte sequences included, as browsers do', () => {
    // 81 30 D3 30 is U+0452, which exists in GB18030 only as a four-byte sequence.
    const bytes = Buffer.concat([encodeGb18030(page('')), Buffer.from('8130d330', 'hex')]);
    expect(decodePage({ bytes, contentType: 'text/html; charset=gbk' }).endsWith('\u0452')).toBe(true);
  });

  it('ignores a <meta> charset past the first 1024 bytes', () => {
    const bytes = utf8(page(`<!--${' '.repeat(1024)}--><meta charset="gbk">`));
    expect(decodePage({ bytes, contentType: 'text/html' })).toContain(TITLE);
  });

  it('lets a byte order mark win, and drops it', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(page(''))]);
    const text = decodePage({ bytes, contentType: 'text/html; charset=gbk' });
    expect(text.startsWith('<html>')).toBe(true);
    expect(text).toContain(TITLE);
  });

  it('refuses a charset it does not know with a clear reason', () => {
    const bytes = utf8(page(''));
    expect(reasonOf(() => decodePage({ bytes, contentType: 'text/html; charset=x-klingon' }))).toBe(
      'unknown-charset',
    );
    const meta = utf8(page('<meta charset="no-such-charset">'));
    expect(reasonOf(() => decodePage({ bytes: meta, contentType: 'text/html' }))).toBe('unknown-charset');
  });
});
