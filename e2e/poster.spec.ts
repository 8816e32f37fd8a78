import { expect, test } from '@playwright/test';
import { resetFake } from './fake-douban';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test('the first card shows its poster through /api/poster, with the title as alt text', async ({ page }) => {
  await page.goto('/?city=shanghai');
  const first = page.getByTestId('movie-card').first();
  // By name: the card's sparkline is an image too.
  const poster = first.getByRole('img', { name: '好东西', exact: true });
  await expect(poster).toHaveAttribute('alt', '好东西');
  await expect(poster).toHaveAttribute('src', /^\/api\/poster\?url=https%3A%2F%2Fimg\d\.doubanio\.com%2F/);
  await expect
    .poll(() => poster.evaluate((image: HTMLImageElement) => (image.complete ? image.naturalWidth : 0)))
    .toBeGreaterThan(0);
});
