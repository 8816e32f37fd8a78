import { expect, test } from '@playwright/test';
import { resetFake } from './fake-douban';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test('picking 上饶 shows its board, changes the URL and moves the live subscription', async ({ page }) => {
  await page.goto('/?city=shanghai');
  const cards = page.getByTestId('movie-card');
  await expect(cards).toHaveCount(85);
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');

  const streams: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/movies/stream')) streams.push(request.url());
  });
  const input = page.getByTestId('city-picker').getByRole('combobox');
  await input.fill('上饶');
  await page.getByRole('option', { name: /上饶/ }).click();

  await expect(page).toHaveURL(/\/\?city=shangrao$/);
  await expect(cards).toHaveCount(21);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('上饶');
  await expect(page.getByRole('tab', { name: /正在上映/ })).toContainText('21');
  await expect(input).toHaveValue('上饶');
  await expect.poll(() => streams.some((url) => url.includes('city=shangrao'))).toBe(true);
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
});

test('the picker finds a city by pinyin and works from the keyboard', async ({ page }) => {
  await page.goto('/?city=shanghai');
  // Typed before the page runs, the letters would be the server's input's, not the picker's.
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  const input = page.getByTestId('city-picker').getByRole('combobox');
  await input.focus();
  await input.pressSequentially('shangr');
  await expect(input).toHaveAttribute('aria-expanded', 'true');
  const option = page.getByRole('option', { name: /上饶/ });
  await expect(option).toBeVisible();
  await input.press('ArrowDown');
  await input.press('ArrowUp');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await expect(input).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id')) ?? '');
  await input.press('Enter');
  await expect(page).toHaveURL(/\/\?city=shangrao$/);
  await expect(page.getByTestId('movie-card')).toHaveCount(21);

  await input.focus();
  await input.fill('上');
  await expect(page.getByRole('option').first()).toContainText('上海');
  await input.press('Escape');
  await expect(input).toHaveAttribute('aria-expanded', 'false');
  await expect(input).toHaveValue('上饶');
});
