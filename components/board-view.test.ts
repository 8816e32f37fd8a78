import { describe, expect, it } from 'vitest';
import {
  type BoardView,
  boardViewHref,
  DEFAULT_BOARD_VIEW,
  isCanonicalView,
  parseBoardView,
  serializeBoardView,
} from './board-view';

const FULL: BoardView = {
  tab: 'upcoming',
  sort: 'release',
  min: 7.5,
  rated: true,
  region: 'cn',
  mine: 'wish',
  q: '邵艺辉 & 张艺谋',
};

describe('parseBoardView and serializeBoardView', () => {
  it('reads every parameter back as it was written', () => {
    const written = serializeBoardView(FULL);
    expect(parseBoardView(written)).toEqual(FULL);
    expect(parseBoardView(new URLSearchParams(written.toString()))).toEqual(FULL);
    expect(parseBoardView(Object.fromEntries(written))).toEqual(FULL);
  });

  it('leaves defaults out, so a default board is just its city', () => {
    expect(serializeBoardView(DEFAULT_BOARD_VIEW).toString()).toBe('');
    expect(boardViewHref({ city: 'shanghai', view: DEFAULT_BOARD_VIEW })).toBe('/?city=shanghai');
    expect(boardViewHref({ city: 'shanghai', view: { ...DEFAULT_BOARD_VIEW, min: 7.5, rated: true } })).toBe(
      '/?city=shanghai&min=7.5&rated=1',
    );
  });

  it('writes the parameters in one order whatever order they came in', () => {
    const a = parseBoardView({ sort: 'votes', region: 'cn', min: '8' });
    const b = parseBoardView({ min: '8', sort: 'votes', region: 'cn' });
    expect(serializeBoardView(a).toString()).toBe('sort=votes&min=8&region=cn');
    expect(serializeBoardView(b).toString()).toBe('sort=votes&min=8&region=cn');
  });

  it('treats a bad parameter as absent and keeps the good ones', () => {
    expect(
      parseBoardView({
        tab: 'everything',
        sort: 'random',
        min: '11',
        rated: 'maybe',
        region: 'mars',
        mine: 'yours',
        q: '好东西',
      }),
    ).toEqual({ ...DEFAULT_BOARD_VIEW, q: '好东西' });
    for (const min of ['-1', 'abc', '7,5', '', ' 8', '1e1', 'NaN', '10.5']) {
      expect(parseBoardView({ min }).min, min).toBe(0);
    }
  });

  it('reads scores to one decimal, and a checkbox as an HTML form submits it', () => {
    expect(parseBoardView({ min: '10' }).min).toBe(10);
    expect(parseBoardView({ min: '7.50' }).min).toBe(7.5);
    expect(parseBoardView({ min: '0' }).min).toBe(0);
    expect(parseBoardView({ rated: 'on' }).rated).toBe(true);
    expect(parseBoardView({ rated: 'true' }).rated).toBe(true);
    expect(parseBoardView({ rated: '0' }).rated).toBe(false);
  });

  it('takes the first of a repeated parameter, trims the text and ignores unknown parameters', () => {
    expect(parseBoardView(new URLSearchParams('sort=score&sort=votes')).sort).toBe('score');
    expect(parseBoardView({ sort: ['title', 'score'] }).sort).toBe('title');
    expect(parseBoardView({ q: '  阿凡达 ' }).q).toBe('阿凡达');
    expect(parseBoardView({ q: 'x'.repeat(500) }).q).toHaveLength(100);
    expect(parseBoardView({ utm_source: 'x', city: 'shanghai' })).toEqual(DEFAULT_BOARD_VIEW);
  });

  it('never throws, whatever the parameters', () => {
    const inputs: Record<string, string | string[] | undefined>[] = [
      { min: [] as unknown as string[] },
      { tab: undefined },
      { q: ['', ''] },
      { __proto__: 'x', constructor: 'y' },
    ];
    for (const input of inputs) expect(() => parseBoardView(input)).not.toThrow();
  });
});

describe('isCanonicalView', () => {
  it('accepts what serializeBoardView writes, in any order, with other parameters', () => {
    expect(isCanonicalView({ city: 'shanghai' })).toBe(true);
    expect(isCanonicalView({ city: 'shanghai', min: '7.5', sort: 'votes', utm: 'x' })).toBe(true);
  });

  it('refuses defaults written out, bad values, untrimmed text and repeats', () => {
    // What the no-JavaScript form submits when nothing is chosen.
    expect(
      isCanonicalView({ city: 'shanghai', sort: 'default', min: '0', region: 'all', mine: 'all', q: '' }),
    ).toBe(false);
    expect(isCanonicalView({ min: 'abc' })).toBe(false);
    expect(isCanonicalView({ min: '7.50' })).toBe(false);
    expect(isCanonicalView({ rated: 'on' })).toBe(false);
    expect(isCanonicalView({ q: ' 好东西' })).toBe(false);
    expect(isCanonicalView({ sort: ['score', 'votes'] })).toBe(false);
  });
});
