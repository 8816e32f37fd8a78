import { expect, type Page, test } from '@playwright/test';
import { resetFake } from './fake-douban';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const titles = (page: Page) => page.getByTestId('movie-card').getByRole('heading').allTextContents();

/** 华语, rated 8.5 or more, by score: from the recorded Shanghai page. */
const CN_ABOVE_8_5 = ['背靠背，脸对脸', '好东西', '出走的决心', '黑炮事件', '追鱼'];

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a URL with filters is rendered filtered and sorted by the server', async ({ page }) => {
    await page.goto('/?city=shanghai&min=8.5&rated=1&region=cn&sort=score');
    await expect(page.getByTestId('movie-card')).toHaveCount(5);
    expect(await titles(page)).toEqual(CN_ABOVE_8_5);
    await expect(page.getByLabel('排序')).toHaveValue('score');
    await expect(page.getByLabel('最低评分')).toHaveValue('8.5');
    await expect(page.getByLabel('隐藏暂无评分')).toBeChecked();
    await expect(page.getByLabel('地区')).toHaveValue('cn');
  });

  test('the tab lives in the URL: 即将上映, 华语, by 想看', async ({ page }) => {
    await page.goto('/?city=shanghai&tab=upcoming&region=cn&sort=wish');
    await expect(page.getByRole('link', { name: /即将上映/ })).toHaveAttribute('aria-current', 'page');
    expect(await titles(page)).toEqual(['孤星计划', '小倩', '盛极一时的爱情', '今年二十二', '出不去的房间']);
    // 即将上映 has no scores: the score fields are hidden there.
    await expect(page.getByLabel('最低评分')).toBeHidden();
  });

  test('the tabs are links to the view on their list, and the city form keeps the view', async ({ page }) => {
    await page.goto('/?city=shanghai&region=cn&sort=score');
    const cards = page.getByTestId('movie-card');
    const nowPlaying = page.getByRole('link', { name: /正在上映/ });
    const upcoming = page.getByRole('link', { name: /即将上映/ });
    // Without JavaScript arrow keys cannot move between tabs: plain links, every one a tab stop.
    await expect(page.getByRole('tab')).toHaveCount(0);
    await expect(page.getByRole('navigation', { name: '影片列表' })).toBeVisible();
    await expect(nowPlaying).toHaveAttribute('aria-current', 'page');
    await expect(upcoming).not.toHaveAttribute('aria-current');
    await expect(upcoming).not.toHaveAttribute('tabindex');
    // The filters go along; 评分 means nothing on 即将上映 (no film there has a score) and stays behind.
    await expect(upcoming).toHaveAttribute('href', '/?city=shanghai&tab=upcoming&region=cn');
    await expect(nowPlaying).toHaveAttribute('href', '/?city=shanghai&sort=score&region=cn');

    await upcoming.click();
    await expect(page).toHaveURL(/\/\?city=shanghai&tab=upcoming&region=cn$/);
    await expect(upcoming).toHaveAttribute('aria-current', 'page');
    await expect(cards).toHaveCount(5);
    await expect(cards.getByTestId('movie-score')).toHaveCount(0);
    // Nothing in the page remembers the score it left: back on 正在上映 in Douban's order.
    await nowPlaying.click();
    await expect(page).toHaveURL(/\/\?city=shanghai&region=cn$/);
    await expect(cards).toHaveCount(45);

    await page.getByRole('link', { name: /即将上映/ }).click();
    await expect(page).toHaveURL(/\/\?city=shanghai&tab=upcoming&region=cn$/);
    const input = page.getByTestId('city-picker').getByRole('combobox');
    await input.fill('上饶');
    await input.press('Enter');
    await expect(page).toHaveURL(/\/\?city=shangrao&tab=upcoming&region=cn$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('上饶');
    await expect(page.getByRole('link', { name: /即将上映/ })).toHaveAttribute('aria-current', 'page');
  });

  test('a tab offers only the sorts that mean something on its list; a URL asking another is redirected', async ({
    page,
  }) => {
    const sorts = () => page.getByLabel('排序').locator('option').allTextContents();
    await page.goto('/?city=shanghai');
    expect(await sorts()).toEqual(expect.arrayContaining(['豆瓣默认', '评分', '评价人数', '片名']));
    expect(await sorts()).not.toContain('想看人数');
    expect(await sorts()).not.toContain('上映日期');
    await page.goto('/?city=shanghai&tab=upcoming');
    expect(await sorts()).toEqual(expect.arrayContaining(['豆瓣默认', '想看人数', '上映日期', '片名']));
    expect(await sorts()).not.toContain('评分');
    expect(await sorts()).not.toContain('评价人数');

    // One redirect, to the view as the tab takes it: Douban's order for 评分, 想看 for votes.
    const scored = await page.request.get('/?city=shanghai&tab=upcoming&sort=score&region=cn', {
      maxRedirects: 0,
    });
    expect(scored.status()).toBe(307);
    expect(scored.headers().location).toBe('/?city=shanghai&tab=upcoming&region=cn');
    const byVotes = await page.request.get('/?city=shanghai&tab=upcoming&sort=votes', { maxRedirects: 0 });
    expect(byVotes.headers().location).toBe('/?city=shanghai&tab=upcoming&sort=wish');
    const released = await page.request.get('/?city=shanghai&sort=release', { maxRedirects: 0 });
    expect(released.headers().location).toBe('/?city=shanghai');

    await page.goto('/?city=shanghai&tab=upcoming&sort=score');
    await expect(page).toHaveURL(/\/\?city=shanghai&tab=upcoming$/);
    await expect(page.getByLabel('排序')).toHaveValue('default');
  });

  test('the form applies the filters through the server, at the short URL the board writes', async ({
    page,
  }) => {
    await page.goto('/?city=shanghai');
    await page.getByLabel('地区').selectOption({ label: '外语' });
    await page.getByLabel('最低评分').selectOption({ label: '9.0 分以上' });
    await page.getByLabel('排序').selectOption({ label: '评价人数' });
    await page.getByRole('button', { name: '应用' }).click();
    await expect(page).toHaveURL(/\/\?city=shanghai&sort=votes&min=9&region=intl$/);
    expect(await titles(page)).toEqual([
      '这个杀手不太冷',
      '海上钢琴师',
      '哈利·波特与魔法石',
      '哈利·波特与死亡圣器(下)',
      '哈利·波特与阿兹卡班的囚徒',
      '音魂掠影',
    ]);
  });

  test('bad parameters are ignored, not an error', async ({ page }) => {
    const response = await page.goto(
      '/?city=shanghai&min=abc&sort=random&tab=everything&region=cn&rated=maybe',
    );
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(/\/\?city=shanghai&region=cn$/);
    await expect(page.getByTestId('movie-card')).toHaveCount(45);

    // One redirect, to the URL the board writes; a city's Chinese name keeps the view too.
    const bad = await page.request.get('/?city=shanghai&q=&min=abc&region=cn', { maxRedirects: 0 });
    expect(bad.status()).toBe(307);
    expect(bad.headers().location).toBe('/?city=shanghai&region=cn');
    const named = await page.request.get(`/?city=${encodeURIComponent('上饶')}&region=cn`, {
      maxRedirects: 0,
    });
    expect(named.headers().location).toBe('/?city=shangrao&region=cn');
  });

  test('the marks filter cannot apply on the server, and the page says so', async ({ page }) => {
    await page.goto('/?city=shanghai&mine=wish');
    await expect(page.getByTestId('movie-card')).toHaveCount(85);
    await expect(page.getByTestId('marks-note')).toContainText('需要 JavaScript');
  });
});

test.describe('with JavaScript', () => {
  /** Opens the board and waits until it runs: its stream is live. */
  async function openBoard(page: Page, url: string) {
    await page.goto(url);
    await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  }

  test('a control changes the URL and the cards at once, with no request, and a reload keeps the view', async ({
    page,
  }) => {
    await openBoard(page, '/?city=shanghai');
    await expect(page.getByRole('button', { name: '应用' })).toHaveCount(0);
    const requests: string[] = [];
    page.on('request', (request) => {
      // The page, its server components' payload, the board or a new stream (posters may load).
      const { pathname } = new URL(request.url());
      if (
        request.resourceType() === 'document' ||
        request.headers().rsc ||
        pathname.startsWith('/api/movies')
      ) {
        requests.push(request.url());
      }
    });

    const cards = page.getByTestId('movie-card');
    await page.getByLabel('地区').selectOption({ label: '华语' });
    await expect(page).toHaveURL(/\/\?city=shanghai&region=cn$/);
    await expect(cards).toHaveCount(45);
    await page.getByLabel('隐藏暂无评分').check();
    await page.getByLabel('最低评分').selectOption('8.5');
    await page.getByLabel('排序').selectOption({ label: '评分' });
    await expect(page).toHaveURL(/\/\?city=shanghai&sort=score&min=8.5&rated=1&region=cn$/);
    await expect(cards).toHaveCount(5);
    expect(await titles(page)).toEqual(CN_ABOVE_8_5);
    await page.getByLabel('筛选').fill('邵艺辉');
    await expect(page).toHaveURL(/&q=%E9%82%B5%E8%89%BA%E8%BE%89$/);
    await expect(cards).toHaveCount(1);
    await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
    expect(requests, 'no navigation, no refetch, the same stream').toEqual([]);

    await page.reload();
    await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
    await expect(page.getByLabel('筛选')).toHaveValue('邵艺辉');
    await expect(page.getByLabel('地区')).toHaveValue('cn');
    await expect(cards).toHaveCount(1);
    await page.getByLabel('筛选').fill('');
    await expect(cards).toHaveCount(5);
    expect(await titles(page)).toEqual(CN_ABOVE_8_5);
  });

  test('the view travels with the city, and back and forward bring each back', async ({ page }) => {
    await openBoard(page, '/?city=shanghai');
    const cards = page.getByTestId('movie-card');
    await page.getByRole('tab', { name: /即将上映/ }).click();
    await page.getByLabel('排序').selectOption({ label: '想看人数' });
    await page.getByRole('tab', { name: /正在上映/ }).click();
    await page.getByLabel('地区').selectOption({ label: '华语' });
    // 想看 stands for votes on 正在上映, where no sort was chosen.
    await expect(page).toHaveURL(/\/\?city=shanghai&sort=votes&region=cn$/);
    await expect(page.getByLabel('排序')).toHaveValue('votes');
    await expect(cards).toHaveCount(45);

    const input = page.getByTestId('city-picker').getByRole('combobox');
    await input.fill('上饶');
    await page.getByRole('option', { name: /上饶/ }).click();
    await expect(page).toHaveURL(/\/\?city=shangrao&sort=votes&region=cn$/);
    await expect(cards).toHaveCount(16);
    await page.getByLabel('地区').selectOption({ label: '外语' });
    await expect(page).toHaveURL(/\/\?city=shangrao&sort=votes&region=intl$/);
    await expect(cards).toHaveCount(5);

    await page.goBack();
    await expect(page).toHaveURL(/\/\?city=shanghai&sort=votes&region=cn$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('上海');
    await expect(cards).toHaveCount(45);
    await expect(page.getByLabel('地区')).toHaveValue('cn');
    await page.goForward();
    await expect(page).toHaveURL(/\/\?city=shangrao&sort=votes&region=intl$/);
    await expect(cards).toHaveCount(5);
    await expect(page.getByLabel('地区')).toHaveValue('intl');
  });

  test('a pasted URL opens its tab and sort, and the tab changes the URL', async ({ page }) => {
    await openBoard(page, '/?city=shanghai&tab=upcoming&sort=release&region=intl');
    await expect(page.getByRole('tab', { name: /即将上映/ })).toHaveAttribute('aria-selected', 'true');
    expect(await titles(page)).toEqual([
      '爆裂鼓手',
      '如父如子',
      '魔法坏女巫',
      '皇后乐队蒙特利尔现场演唱会',
      '波提切利，佛罗伦萨和美第奇家族',
    ]);
    // Release dates are the upcoming films' alone: 正在上映 in Douban's order.
    await page.getByRole('tab', { name: /正在上映/ }).click();
    await expect(page).toHaveURL(/\/\?city=shanghai&region=intl$/);
    await expect(page.getByTestId('movie-card')).toHaveCount(40);
  });

  test('a tab link switches in place, offers its own sorts and brings back the sort chosen on its tab', async ({
    page,
  }) => {
    await openBoard(page, '/?city=shanghai');
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'document' || request.headers().rsc) requests.push(request.url());
    });
    const sort = page.getByLabel('排序');
    const nowPlaying = page.getByRole('tab', { name: /正在上映/ });
    const upcoming = page.getByRole('tab', { name: /即将上映/ });
    await sort.selectOption({ label: '评分' });
    await expect(page).toHaveURL(/\/\?city=shanghai&sort=score$/);
    // Each tab's link is the view a click shows.
    await expect(upcoming).toHaveAttribute('href', '/?city=shanghai&tab=upcoming');

    await upcoming.click();
    await expect(page).toHaveURL(/\/\?city=shanghai&tab=upcoming$/);
    await expect(upcoming).toHaveAttribute('aria-selected', 'true');
    await expect(sort).toHaveValue('default');
    expect(await sort.locator('option').allTextContents()).not.toContain('评分');
    await expect(nowPlaying).toHaveAttribute('href', '/?city=shanghai&sort=score');

    await nowPlaying.click();
    await expect(page).toHaveURL(/\/\?city=shanghai&sort=score$/);
    await expect(sort).toHaveValue('score');
    await expect(page.getByTestId('movie-card').first().getByRole('heading')).toHaveText('背靠背，脸对脸');
    expect(requests, 'switched in place, no navigation').toEqual([]);

    // A modified click is the browser's: the view opens in a new tab, this one stays.
    const [opened] = await Promise.all([
      page.context().waitForEvent('page'),
      upcoming.click({ modifiers: ['ControlOrMeta'] }),
    ]);
    await expect(opened).toHaveURL(/\/\?city=shanghai&tab=upcoming$/);
    await expect(page).toHaveURL(/\/\?city=shanghai&sort=score$/);
    await expect(nowPlaying).toHaveAttribute('aria-selected', 'true');
    await opened.close();
  });
});
