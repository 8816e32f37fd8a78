import { readFileSync } from 'node:fs';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '@/lib/metrics/metrics';
import { boardSnapshotSchema } from '@/lib/schema/board';
import type { Movie, NowPlayingPage } from '@/lib/types';
import { thrownBy } from '@/test/thrown-by';
import { parseNowPlaying } from './parse-now-playing';
import { UpstreamError } from './upstream-error';

const readFixture = (file: string) =>
  readFileSync(new URL(`../../fixtures/douban/${file}`, import.meta.url), 'utf8');

const shanghaiHtml = readFixture('nowplaying-shanghai.html');
const shangraoHtml = readFixture('nowplaying-shangrao-2018.html');
const shanghai = parseNowPlaying(shanghaiHtml);
const shangrao = parseNowPlaying(shangraoHtml);

const allMovies = (page: NowPlayingPage) => [...page.nowPlaying, ...page.upcoming];
const findMovie = (page: NowPlayingPage, id: string): Movie | undefined =>
  allMovies(page).find((movie) => movie.id === id);

/** The reason of the UpstreamError that parsing `html` throws. */
const reasonOf = (html: string) => thrownBy(UpstreamError, () => parseNowPlaying(html)).reason;

describe('parseNowPlaying on the 2024 Shanghai page', () => {
  it('finds 85 movies now playing and 10 upcoming', () => {
    expect(shanghai.nowPlaying).toHaveLength(85);
    expect(shanghai.upcoming).toHaveLength(10);
  });

  it('reads every field of the first movie', () => {
    expect(shanghai.nowPlaying[0]).toEqual({
      id: '36154853',
      category: 'nowplaying',
      title: '好东西',
      score: 9.1,
      votes: 502558,
      stars: 45,
      year: 2024,
      duration: '123分钟',
      regions: ['中国大陆'],
      directors: ['邵艺辉'],
      actors: ['宋佳', '钟楚曦', '曾慕梅'],
      posterUrl: 'https://img2.doubanio.com/view/photo/s_ratio_poster/public/p2915454411.jpg',
      url: 'https://movie.douban.com/subject/36154853/',
      ticketUrl: 'https://movie.douban.com/ticket/redirect/?movie_id=36154853',
      releaseDate: null,
      wish: null,
    });
  });

  it('includes the 70 items the page hides behind "more", in page order', () => {
    const hiddenIds = parse(shanghaiHtml)
      .querySelectorAll('#nowplaying li.list-item.hidden')
      .map((item) => item.id);
    expect(hiddenIds).toHaveLength(70);
    expect(shanghai.nowPlaying.slice(15).map((movie) => movie.id)).toEqual(hiddenIds);
  });

  it('splits several regions', () => {
    expect(findMovie(shanghai, '35902857')).toMatchObject({
      title: '完美的日子',
      score: 8.5,
      stars: 45,
      votes: 89583,
      year: 2023,
      regions: ['日本', '德国'],
      directors: ['维姆·文德斯'],
    });
    expect(findMovie(shanghai, '1306625')?.regions).toEqual([
      '荷兰',
      '英国',
      '西德',
      '法国',
      '西班牙',
      '葡萄牙',
      '美国',
    ]);
  });

  it('splits several directors, and leaves an unrated movie without score or stars but with its votes', () => {
    expect(findMovie(shanghai, '27162505')).toMatchObject({
      title: '热血燃烧',
      score: null,
      stars: null,
      votes: 587,
      regions: ['中国香港', '中国大陆'],
      directors: ['钱国伟', '张成', '金鑫'],
    });
  });

  it('keeps a Latin director name with spaces in it whole', () => {
    expect(findMovie(shanghai, '35972432')?.directors).toEqual(['Marta Magnuska']);
    // Two Latin names in a row cannot be told apart; they stay one entry rather than four words.
    expect(findMovie(shanghai, '1874935')?.directors).toEqual(['Charles Guard Tom Guard']);
  });

  it('drops the stray space after a director and reads empty actors as none', () => {
    expect(findMovie(shanghai, '36587974')?.directors).toEqual(['尹丽川']);
    expect(findMovie(shanghai, '35972432')).toMatchObject({ title: '错位', actors: [], duration: '7分钟' });
  });

  it('finds 14 unrated movies now playing', () => {
    expect(shanghai.nowPlaying.filter((movie) => movie.score === null)).toHaveLength(14);
  });

  it('reads an upcoming movie with its release date, wish count and ticket link', () => {
    expect(shanghai.upcoming[0]).toEqual({
      id: '25773932',
      category: 'upcoming',
      title: '爆裂鼓手',
      score: null,
      votes: null,
      stars: null,
      year: null,
      duration: '107分钟',
      regions: ['美国'],
      directors: ['达米恩·查泽雷'],
      actors: ['迈尔斯·特勒', 'J·K·西蒙斯', '保罗·雷瑟'],
      posterUrl: 'https://img1.doubanio.com/view/photo/s_ratio_poster/public/p2915975989.jpg',
      url: 'https://movie.douban.com/subject/25773932/',
      ticketUrl: 'https://movie.douban.com/ticket/redirect/?movie_id=25773932',
      releaseDate: '12月06日上映',
      wish: 286370,
    });
  });

  it('gives upcoming movies without a ticket button a null ticketUrl', () => {
    expect(findMovie(shanghai, '10571509')).toMatchObject({
      title: '如父如子',
      ticketUrl: null,
      releaseDate: '12月06日上映',
      wish: 185260,
    });
    expect(findMovie(shanghai, '35590642')).toMatchObject({
      title: '波提切利，佛罗伦萨和美第奇家族',
      ticketUrl: null,
      releaseDate: '12月13日上映',
      wish: 6847,
      actors: ['史蒂芬·曼甘'],
    });
  });

  it('takes the full title, not the link text Douban cuts short', () => {
    expect(findMovie(shanghai, '36888563')?.title).toBe('皇后乐队蒙特利尔现场演唱会');
  });
});

describe('parseNowPlaying on the 2018 Shangrao page (one attribute per line)', () => {
  it('finds 21 movies now playing and 10 upcoming', () => {
    expect(shangrao.nowPlaying).toHaveLength(21);
    expect(shangrao.upcoming).toHaveLength(10);
  });

  it('reads the first movie, with its maoyan ticket link and webp poster', () => {
    expect(shangrao.nowPlaying[0]).toEqual({
      id: '26636712',
      category: 'nowplaying',
      title: '蚁人2：黄蜂女现身',
      score: 7.6,
      votes: 34361,
      stars: 40,
      year: 2018,
      duration: '119分钟(中国大陆)',
      regions: ['美国'],
      directors: ['佩顿·里德'],
      actors: ['保罗·路德', '伊万杰琳·莉莉', '迈克尔·佩纳'],
      posterUrl: 'https://img1.doubanio.com/view/photo/s_ratio_poster/public/p2529389608.webp',
      url: 'https://movie.douban.com/subject/26636712/',
      ticketUrl:
        'https://movie.douban.com/ticket/redirect/?url=https%3A%2F%2Fm.maoyan.com%2Fcinema%2Fmovie%2F343208%3F_v_%3Dyes%26merCode%3D1000011',
      releaseDate: null,
      wish: null,
    });
  });

  it('gives the 6 movies with data-score="0" no score and no stars', () => {
    const unrated = shangrao.nowPlaying.filter((movie) => movie.score === null);
    expect(unrated.map((movie) => movie.id)).toEqual([
      '30176525',
      '27107604',
      '30244759',
      '30237381',
      '30276726',
      '30236775',
    ]);
    expect(unrated.every((movie) => movie.stars === null)).toBe(true);
    expect(findMovie(shangrao, '30176525')).toMatchObject({
      title: '深海历险记',
      votes: 64,
      directors: ['Julio Soto Gurpide'],
    });
  });

  it('splits several directors and several regions', () => {
    expect(findMovie(shangrao, '27605698')).toMatchObject({
      title: '西虹市首富',
      score: 6.7,
      stars: 35,
      directors: ['闫非', '彭大魔'],
    });
    expect(findMovie(shangrao, '26426194')?.regions).toEqual(['美国', '中国大陆', '香港']);
  });

  it('reads upcoming movies, including one with only two actors', () => {
    expect(findMovie(shangrao, '30238932')).toMatchObject({
      title: '曹操与杨修',
      category: 'upcoming',
      actors: ['尚长荣', '言兴朋'],
      releaseDate: '08月30日上映',
      wish: 215,
      year: null,
    });
    expect(findMovie(shangrao, '26336252')).toMatchObject({
      duration: '148分钟(中国大陆)',
      releaseDate: '08月31日上映',
      wish: 85562,
    });
  });
});

describe.each([
  ['Shanghai', shanghai],
  ['Shangrao', shangrao],
])('every movie of the %s page', (_name, page) => {
  const movies = allMovies(page);

  it('has a unique digit id and the plain subject URL', () => {
    expect(new Set(movies.map((movie) => movie.id)).size).toBe(movies.length);
    for (const movie of movies) {
      expect(movie.id).toMatch(/^\d+$/);
      expect(movie.url).toBe(`https://movie.douban.com/subject/${movie.id}/`);
      expect(movie.posterUrl).toMatch(/^https:\/\/img\d\.doubanio\.com\/view\/photo\/s_ratio_poster\//);
    }
  });

  it('has no NaN, a score above 0, and stars only with a score', () => {
    for (const movie of movies) {
      for (const value of [movie.score, movie.votes, movie.stars, movie.year, movie.wish]) {
        expect(value === null || Number.isFinite(value)).toBe(true);
      }
      if (movie.score !== null) expect(movie.score).toBeGreaterThan(0);
      if (movie.score !== null) expect(movie.score).toBeLessThanOrEqual(10);
      if (movie.stars !== null) expect(movie.stars % 5).toBe(0);
      expect(movie.stars === null).toBe(movie.score === null);
    }
  });

  it('is categorised by its list, and upcoming movies are never rated', () => {
    expect(page.nowPlaying.every((movie) => movie.category === 'nowplaying' && movie.votes !== null)).toBe(
      true,
    );
    for (const movie of page.upcoming) {
      expect(movie).toMatchObject({ category: 'upcoming', score: null, votes: null, stars: null });
      expect(movie.releaseDate).toMatch(/^\d\d月\d\d日上映$/);
      expect(movie.wish).toBeGreaterThan(0);
    }
  });
});

describe('parseNowPlaying on edited pages', () => {
  it('decodes entities in titles', () => {
    const html = shangraoHtml.replace(
      'data-title="大师兄"',
      'data-title="Tom &amp; Jerry&#39;s &quot;Day&quot; &lt;3"',
    );
    expect(findMovie(parseNowPlaying(html), '27201353')?.title).toBe('Tom & Jerry\'s "Day" <3');
  });

  it('skips an item without a digit id', () => {
    const html = shangraoHtml.replace('id="27201353"', 'id="x"').replace('data-subject="27201353"', '');
    const page = parseNowPlaying(html);
    expect(page.nowPlaying).toHaveLength(20);
    expect(page.nowPlaying.some((movie) => movie.title === '大师兄')).toBe(false);
  });

  it('skips an item without a title', () => {
    const html = shangraoHtml.replace('data-title="大师兄"', 'data-title=" "').replace('title="大师兄"', '');
    const page = parseNowPlaying(html);
    expect(page.nowPlaying).toHaveLength(20);
    expect(findMovie(page, '27201353')).toBeUndefined();
  });

  it.each([
    ['another host', 'https://phish.example/pay', null],
    ['Douban over http', 'http://movie.douban.com/ticket/redirect/?movie_id=1', null],
    ['a Douban lookalike', 'https://movie.douban.com.evil.example/ticket/redirect/?movie_id=1', null],
    ['script', 'javascript:alert(1)', null],
    [
      "Douban's redirector to another host",
      'https://movie.douban.com/ticket/redirect/?url=https%3A%2F%2Fphish.example%2F',
      null,
    ],
    [
      "Douban's redirector to Maoyan",
      'https://movie.douban.com/ticket/redirect/?url=https%3A%2F%2Fm.maoyan.com%2Fcinema%2Fmovie%2F1',
      'https://movie.douban.com/ticket/redirect/?url=https%3A%2F%2Fm.maoyan.com%2Fcinema%2Fmovie%2F1',
    ],
    [
      'a relative Douban path',
      '/ticket/redirect/?movie_id=1',
      'https://movie.douban.com/ticket/redirect/?movie_id=1',
    ],
  ])('keeps a ticket link to %s only where Douban sends buyers', (_, href, expected) => {
    const html = shangraoHtml.replace(/(<a class="ticket-btn"\s+href=")[^"]*"/, `$1${href}"`);
    expect(html).not.toBe(shangraoHtml);
    expect(parseNowPlaying(html).nowPlaying[0]?.ticketUrl).toBe(expected);
  });

  it('reads unparsable numbers as null, never NaN', () => {
    const html = shangraoHtml
      .replace('data-score="7.6"', 'data-score="7,6"')
      .replace('data-votecount="34361"', 'data-votecount="lots"')
      .replace('data-release="2018"', 'data-release="2018年"');
    expect(parseNowPlaying(html).nowPlaying[0]).toMatchObject({
      score: null,
      stars: null,
      votes: null,
      year: null,
    });
  });
});

describe('parseNowPlaying on answers that are not a now-showing page', () => {
  it('rejects the anti-bot interstitial as not-a-nowplaying-page', () => {
    expect(reasonOf(readFixture('login-redirect-interstitial.html'))).toBe('not-a-nowplaying-page');
  });

  it('rejects an empty body and plain text as not-a-nowplaying-page', () => {
    expect(reasonOf('')).toBe('not-a-nowplaying-page');
    expect(reasonOf('Forbidden')).toBe('not-a-nowplaying-page');
  });

  it('rejects the Shanghai page cut in half as truncated-page', () => {
    expect(reasonOf(shanghaiHtml.slice(0, shanghaiHtml.length / 2))).toBe('truncated-page');
  });

  it('rejects the Shanghai page cut just before </html> as truncated-page', () => {
    expect(reasonOf(shanghaiHtml.slice(0, shanghaiHtml.lastIndexOf('</html>')))).toBe('truncated-page');
  });

  it('rejects a complete page without #upcoming as truncated-page', () => {
    const html = '<html><body><div id="nowplaying"><ul class="lists"></ul></div></body></html>';
    expect(reasonOf(html)).toBe('truncated-page');
  });

  it('rejects a page whose #nowplaying lists nothing as empty-page', () => {
    const html =
      '<html><body><div id="nowplaying"><ul class="lists"></ul></div>' +
      '<div id="upcoming"><ul class="lists"></ul></div></body></html>';
    expect(reasonOf(html)).toBe('empty-page');
  });
});

// The counters a server passes; the tests read them before and after a parse.
const metrics = createMetrics();
const parseCounted = (html: string) => parseNowPlaying(html, { counters: metrics });

/** How many items the parser has dropped for `reason` so far. */
async function droppedFor(reason: string): Promise<number> {
  const { values } = await metrics.parserItemsDropped.get();
  return values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

async function trimmedFor(field: string): Promise<number> {
  const { values } = await metrics.parserFieldsTrimmed.get();
  return values.find((value) => value.labels.field === field)?.value ?? 0;
}

/** The page as the bus and the browser would check it: any movie past a cap is refused there. */
const fitsTheBus = (page: NowPlayingPage) =>
  boardSnapshotSchema.safeParse({
    city: 'shangrao',
    version: 1,
    fetchedAt: null,
    stale: false,
    source: 'douban',
    ...page,
  }).success;

describe('parseNowPlaying within the caps the bus and the browser check', () => {
  it('drops an item whose id has 22 digits, and counts it', async () => {
    const before = await droppedFor('bad-id');
    const html = shangraoHtml
      .replace('id="27201353"', `id="${'1'.repeat(22)}"`)
      .replace('data-subject="27201353"', `data-subject="${'1'.repeat(22)}"`);
    const page = parseCounted(html);
    expect(page.nowPlaying).toHaveLength(20);
    expect(page.nowPlaying.some((movie) => movie.title === '大师兄')).toBe(false);
    expect(fitsTheBus(page)).toBe(true);
    expect(await droppedFor('bad-id')).toBe(before + 1);
  });

  it('cuts a title of 600 characters to 500 and keeps the movie', async () => {
    const before = await trimmedFor('title');
    const page = parseCounted(
      shangraoHtml.replace('data-title="大师兄"', `data-title="${'大'.repeat(600)}"`),
    );
    expect(findMovie(page, '27201353')?.title).toBe('大'.repeat(500));
    expect(fitsTheBus(page)).toBe(true);
    expect(await trimmedFor('title')).toBe(before + 1);
  });

  it('keeps the first 100 of 101 actors, each cut to 200 characters', async () => {
    const actors = Array.from({ length: 101 }, (_, i) => `演员${i}`);
    actors[0] = 'x'.repeat(250);
    const html = shangraoHtml.replace(
      'data-actors="甄子丹 / 陈乔恩 / 喻亢"',
      `data-actors="${actors.join(' / ')}"`,
    );
    const page = parseCounted(html);
    expect(findMovie(page, '27201353')?.actors).toEqual(['x'.repeat(200), ...actors.slice(1, 100)]);
    expect(fitsTheBus(page)).toBe(true);
  });

  it('gives a poster URL past 2,000 characters no URL rather than a cut one', () => {
    const html = shangraoHtml.replace(
      /(<li class="poster">[\s\S]*?<img src=")[^"]*"/,
      (_all, before: string) => `${before}https://img1.doubanio.com/${'p'.repeat(2_000)}.jpg"`,
    );
    expect(parseCounted(html).nowPlaying[0]?.posterUrl).toBeNull();
  });

  it('keeps a movie listed in both lists once, in 正在上映, and counts the other', async () => {
    const before = await droppedFor('in-both-lists');
    // The first upcoming movie becomes 大师兄, which is also now playing.
    const html = shangraoHtml
      .replace('id="27021609"', 'id="27201353"')
      .replace('data-subject="27021609"', 'data-subject="27201353"');
    const page = parseCounted(html);
    expect(findMovie(page, '27201353')?.category).toBe('nowplaying');
    expect(page.nowPlaying).toHaveLength(21);
    expect(page.upcoming).toHaveLength(9);
    expect(page.upcoming.some((movie) => movie.id === '27201353')).toBe(false);
    expect(await droppedFor('in-both-lists')).toBe(before + 1);
  });

  it('keeps the first 1,000 movies of a page that lists more', async () => {
    const before = await droppedFor('too-many-movies');
    const item = /<li\s+id="27201353"[\s\S]*?<\/ul>\s*<\/li>/.exec(shangraoHtml)?.[0] as string;
    const copies = Array.from({ length: 1_000 }, (_, i) =>
      item.replaceAll('27201353', String(90_000_000 + i)),
    );
    // 21 + 1,000 movies now playing, 10 upcoming: the last 21 and the 10 upcoming go.
    const page = parseCounted(shangraoHtml.replace(item, `${item}${copies.join('')}`));
    expect(page.nowPlaying.length + page.upcoming.length).toBe(1_000);
    expect(page.nowPlaying).toHaveLength(1_000);
    expect(fitsTheBus(page)).toBe(true);
    expect(await droppedFor('too-many-movies')).toBe(before + 21 + 10);
  });
});
