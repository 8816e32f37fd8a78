import { expect, test } from '@playwright/test';
import { resetFake } from './fake-douban';

test.use({ javaScriptEnabled: false });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test('the server renders all 85 now-playing cards of shanghai, with titles', async ({ page }) => {
  await page.goto('/?city=shanghai');
  const cards = page.getByTestId('movie-card');
  await expect(cards).toHaveCount(85);
  await expect(cards.first().getByRole('heading')).toHaveText('好东西');
  await expect(cards.first().getByTestId('movie-score')).toHaveText('9.1');
  const titles = await cards.getByRole('heading').allTextContents();
  expect(titles.filter((title) => title.trim() !== '')).toHaveLength(85);
  await expect(page.getByRole('link', { name: /正在上映/ })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('status-line')).toBeVisible();
});

test('the default city is shanghai', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('上海');
  await expect(page.getByTestId('movie-card')).toHaveCount(85);
});

test('an unknown city gets a friendly page with a way back, not an error', async ({ page }) => {
  const response = await page.goto('/?city=atlantis');
  expect(response?.status()).toBeLessThan(500);
  await expect(page.getByRole('heading', { name: '没有找到这个城市' })).toBeVisible();
  await expect(page.getByText('“atlantis”')).toBeVisible();
  await expect(page.getByRole('link', { name: /回到上海/ })).toHaveAttribute('href', '/?city=shanghai');
  await expect(page.getByTestId('city-picker')).toBeVisible();
  await expect(page.getByTestId('movie-card')).toHaveCount(0);
});

test('without JavaScript the city form still works, by Chinese name too', async ({ page }) => {
  await page.goto('/?city=shanghai');
  const input = page.getByTestId('city-picker').getByRole('combobox');
  await input.fill('上饶');
  await input.press('Enter');
  await expect(page).toHaveURL(/\?city=shangrao$/);
  await expect(page.getByTestId('movie-card')).toHaveCount(21);
});
