import { expect, type Page, test } from '@playwright/test';
import { resetFake } from './fake-douban';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test('the tabs work from the keyboard, and upcoming cards show 想看 instead of a score', async ({ page }) => {
  await page.goto('/?city=shanghai');
  const cards = page.getByTestId('movie-card');
  const nowPlaying = page.getByRole('tab', { name: /正在上映/ });
  const upcoming = page.getByRole('tab', { name: /即将上映/ });
  await expect(cards).toHaveCount(85);
  await expect(nowPlaying).toHaveAttribute('aria-selected', 'true');
  await expect(upcoming).toHaveAttribute('tabindex', '-1');

  // The tablist is one tab stop, right after the city picker.
  await page.getByTestId('city-picker').getByRole('combobox').focus();
  await page.keyboard.press('Tab');
  await expect(nowPlaying).toBeFocused();

  await page.keyboard.press('ArrowRight');
  await expect(upcoming).toBeFocused();
  await expect(upcoming).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', 'tab-upcoming');
  await expect(cards).toHaveCount(10);
  await expect(cards.first()).toContainText('人想看');
  await expect(cards.first()).toContainText('上映');
  await expect(cards.getByTestId('movie-score')).toHaveCount(0);

  await page.keyboard.press('ArrowLeft');
  await expect(nowPlaying).toHaveAttribute('aria-selected', 'true');
  await expect(cards).toHaveCount(85);

  // The last tab: 即将上映, or 最近下映 when an earlier spec left a film there.
  await page.keyboard.press('End');
  await expect(page.getByRole('tab').last()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(nowPlaying).toHaveAttribute('aria-selected', 'true');

  // The tabs are links: Enter follows them (switched in place), Space selects as a tab's does.
  await upcoming.focus();
  await page.keyboard.press('Enter');
  await expect(upcoming).toHaveAttribute('aria-selected', 'true');
  await expect(cards).toHaveCount(10);
  await nowPlaying.focus();
  await page.keyboard.press('Space');
  await expect(nowPlaying).toHaveAttribute('aria-selected', 'true');
  await expect(cards).toHaveCount(85);
  await expect(page).toHaveURL(/\/\?city=shanghai$/);
});

test('sorting and filtering', async ({ page }) => {
  await page.goto('/?city=shanghai');
  const cards = page.getByTestId('movie-card');
  await expect(cards).toHaveCount(85);

  await page.getByLabel('筛选').fill('邵艺辉');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('好东西');
  await page.getByLabel('筛选').fill('没有这部电影');
  await expect(cards).toHaveCount(0);
  await expect(page.getByText('没有符合“没有这部电影”的影片。')).toBeVisible();
  await page.getByLabel('筛选').fill('');

  await page.getByLabel('排序').selectOption({ label: '片名' });
  await expect(cards.first().getByRole('heading')).toHaveText('749局');
  await page.getByLabel('排序').selectOption({ label: '评分' });
  await expect(cards.first().getByRole('heading')).toHaveText('背靠背，脸对脸');
  await expect(cards.first().getByTestId('movie-score')).toHaveText('9.5');
  await page.getByLabel('排序').selectOption({ label: '评价人数' });
  await expect(cards.first().getByRole('heading')).toHaveText('这个杀手不太冷');
});

/**
 * Presses Tab until every control on the page has had focus (a tablist counts once: its other tabs
 * are reached with the arrows), and checks that each one showed a focus ring as it got it.
 */
async function tabThroughEveryControl(page: Page): Promise<string[]> {
  const controls = await page.evaluate(() => {
    const selector = 'a[href], button, select, input, textarea, [tabindex]:not([tabindex="-1"])';
    const all = [...document.querySelectorAll<HTMLElement>(selector)].filter(
      (element) => element.checkVisibility() && element.tabIndex >= 0,
    );
    all.forEach((element, index) => {
      element.dataset.probe = String(index);
    });
    (document.activeElement as HTMLElement | null)?.blur();
    return all.length;
  });
  const seen = new Map<string, string>();
  for (let press = 0; press < controls + 5 && seen.size < controls; press += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      return {
        probe: element.dataset.probe ?? null,
        name: `${element.tagName.toLowerCase()}${element.getAttribute('role') ? `[role=${element.getAttribute('role')}]` : ''} “${(element.textContent || element.getAttribute('placeholder') || '').trim().slice(0, 20)}”`,
        ring: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2,
      };
    });
    if (focused.probe === null) continue;
    expect(focused.ring, `${focused.name} shows a focus ring`).toBe(true);
    seen.set(focused.probe, focused.name);
  }
  expect(seen.size, `controls reached with Tab: ${[...seen.values()].join(', ')}`).toBe(controls);
  // In the page's order (the walk started wherever focus was).
  return [...seen].sort(([a], [b]) => Number(a) - Number(b)).map(([, name]) => name);
}

test('every control of the board and the film page is reached with Tab and visibly focused', async ({
  page,
}) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('movie-card')).toHaveCount(85);
  // One card keeps the walk short; its links are those of every card.
  await page.getByLabel('筛选').fill('好东西');
  await expect(page.getByTestId('movie-card')).toHaveCount(1);
  const board = await tabThroughEveryControl(page);
  expect(board).toEqual([
    expect.stringMatching(/^input\[role=combobox\]/),
    expect.stringMatching(/^a\[role=tab\] “正在上映/),
    expect.stringMatching(/^select/),
    expect.stringMatching(/^select “不限/),
    expect.stringMatching(/^input/),
    expect.stringMatching(/^select “全部华语外语/),
    expect.stringMatching(/^select “全部关注的/),
    expect.stringMatching(/^input “片名/),
    'a “好东西”',
    'button “关注”',
    'button “想看”',
    'button “看过”',
    expect.stringMatching(/^a “走势/),
    expect.stringMatching(/^a “选座购票/),
    'a “豆瓣电影”',
  ]);

  await page.goto('/movies/36154853?city=shanghai');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('好东西');
  expect(await tabThroughEveryControl(page)).toEqual([
    'a “← 回到上海的影讯”',
    'a “豆瓣页面”',
    'button “关注”',
    'button “想看”',
    'button “看过”',
    'a “豆瓣电影”',
  ]);
});
