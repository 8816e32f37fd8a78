import { expect, test } from '@playwright/test';
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

  await page.keyboard.press('End');
  await expect(upcoming).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(nowPlaying).toHaveAttribute('aria-selected', 'true');

  await upcoming.focus();
  await page.keyboard.press('Enter');
  await expect(upcoming).toHaveAttribute('aria-selected', 'true');
  await expect(cards).toHaveCount(10);
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
