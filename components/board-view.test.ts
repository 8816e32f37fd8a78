import { describe, expect, it } from 'vitest';
import {
  type BoardView,
  boardViewHref,
  DEFAULT_BOARD_VIEW,
  isCanonicalView,
  parseBoardView,
  rememberSort,
  serializeBoardView,
  viewOfTab,
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

  it('reads a sort that means nothing on its tab as the one that tab takes for it', () => {
    // 即将上映's films have no score and no votes: Douban's order, and 想看 for votes.
    expect(parseBoardView({ tab: 'upcoming', sort: 'score' }).sort).toBe('default');
    expect(parseBoardView(new URLSearchParams('tab=upcoming&sort=votes')).sort).toBe('wish');
    expect(parseBoardView({ sort: 'release' }).sort).toBe('default');
    expect(parseBoardView({ tab: 'left', sort: 'wish' }).sort).toBe('votes');
    expect(parseBoardView({ tab: 'left', sort: 'score' }).sort).toBe('score');
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

  it('refuses a sort that means nothing on its tab, so the server sends its one redirect', () => {
    expect(isCanonicalView({ city: 'shanghai', tab: 'upcoming', sort: 'score' })).toBe(false);
    expect(isCanonicalView({ city: 'shanghai', tab: 'upcoming', sort: 'votes' })).toBe(false);
    expect(isCanonicalView({ city: 'shanghai', tab: 'upcoming', sort: 'wish' })).toBe(true);
    expect(isCanonicalView({ city: 'shanghai', sort: 'score' })).toBe(true);
    const view = parseBoardView({ tab: 'upcoming', sort: 'score', region: 'cn' });
    expect(boardViewHref({ city: 'shanghai', view })).toBe('/?city=shanghai&tab=upcoming&region=cn');
  });
});

describe('viewOfTab', () => {
  const scored: BoardView = { ...DEFAULT_BOARD_VIEW, sort: 'score', min: 8, region: 'cn', q: '好' };

  it('keeps every filter, and the sort where the other tab can take it', () => {
    expect(viewOfTab({ view: scored, tab: 'left' })).toEqual({ ...scored, tab: 'left' });
    expect(boardViewHref({ city: 'shanghai', view: viewOfTab({ view: scored, tab: 'upcoming' }) })).toBe(
      '/?city=shanghai&tab=upcoming&min=8&region=cn&q=%E5%A5%BD',
    );
    const byVotes = { ...DEFAULT_BOARD_VIEW, sort: 'votes' } as const;
    expect(viewOfTab({ view: byVotes, tab: 'upcoming' }).sort).toBe('wish');
  });

  it('is the view itself for its own tab', () => {
    expect(viewOfTab({ view: scored, tab: 'nowplaying', chosen: { nowplaying: 'title' } })).toBe(scored);
  });

  it('takes the sort last chosen on the other tab before this one', () => {
    const upcoming = { ...scored, tab: 'upcoming', sort: 'release' } as const;
    expect(viewOfTab({ view: upcoming, tab: 'nowplaying', chosen: { nowplaying: 'score' } }).sort).toBe(
      'score',
    );
    expect(viewOfTab({ view: upcoming, tab: 'nowplaying' }).sort).toBe('default');
  });
});

describe('rememberSort', () => {
  const open: BoardView = { ...DEFAULT_BOARD_VIEW, sort: 'score' };

  it('remembers the sort the page opened with, and one changed on a tab', () => {
    const opened = rememberSort({ chosen: {}, before: null, after: open });
    expect(opened).toEqual({ nowplaying: 'score' });
    expect(rememberSort({ chosen: {}, before: null, after: DEFAULT_BOARD_VIEW })).toEqual({});
    const upcoming = { ...open, tab: 'upcoming', sort: 'default' } as const;
    expect(
      rememberSort({ chosen: opened, before: upcoming, after: { ...upcoming, sort: 'release' } }),
    ).toEqual({
      nowplaying: 'score',
      upcoming: 'release',
    });
  });

  it('takes neither a switch of tab nor another filter for a choice of sort', () => {
    const chosen = { nowplaying: 'score' } as const;
    const upcoming = { ...open, tab: 'upcoming', sort: 'default' } as const;
    expect(rememberSort({ chosen, before: open, after: upcoming })).toBe(chosen);
    expect(rememberSort({ chosen, before: upcoming, after: { ...upcoming, region: 'cn' } })).toBe(chosen);
  });

  it('lets a sort chosen on 即将上映 travel to a 正在上映 opened in Douban order', () => {
    const opened = DEFAULT_BOARD_VIEW;
    let chosen = rememberSort({ chosen: {}, before: null, after: opened });
    const upcoming = viewOfTab({ view: opened, tab: 'upcoming', chosen });
    const byWish = { ...upcoming, sort: 'wish' } as const;
    chosen = rememberSort({ chosen, before: upcoming, after: byWish });
    expect(viewOfTab({ view: byWish, tab: 'nowplaying', chosen }).sort).toBe('votes');
  });

  it('brings 评分 back after a look at 即将上映, through the links each view offers', () => {
    let view = open;
    let chosen = rememberSort({ chosen: {}, before: null, after: view });
    for (const tab of ['upcoming', 'nowplaying'] as const) {
      const next = viewOfTab({ view, tab, chosen });
      chosen = rememberSort({ chosen, before: view, after: next });
      view = next;
      if (tab === 'upcoming') expect(view.sort).toBe('default');
    }
    expect(view).toEqual(open);
  });
});
