import { expect, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const card = (page: import('@playwright/test').Page, id: string) =>
  page.locator(`[data-testid="movie-card"][data-movie-id="${id}"]`);

test('score changes at Douban reach the open page without a reload, marked up or down', async ({
  page,
  request,
}) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  const good = card(page, '36154853'); // 好东西 9.1
  const karma = card(page, '36934908'); // 因果报应 8.6
  await expect(good.getByTestId('movie-score')).toHaveText('9.1');
  await expect(page.locator('[data-testid="movie-card"][data-change]')).toHaveCount(0);
  // Survives only if the page is never reloaded.
  await page.evaluate(() => {
    document.body.dataset.marker = 'same-page';
  });

  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36154853', score: 9.4 } });
  await expect(good.getByTestId('movie-score')).toHaveText('9.4');
  await expect(good).toHaveAttribute('data-change', 'up');
  await expect(good).toContainText('9.1→9.4');

  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36934908', score: 8.2 } });
  await expect(karma.getByTestId('movie-score')).toHaveText('8.2');
  await expect(karma).toHaveAttribute('data-change', 'down');
  await expect(karma).toContainText('8.6→8.2');

  await expect(page.locator('[data-testid="movie-card"][data-change]')).toHaveCount(2);
  await expect(page.locator('body')).toHaveAttribute('data-marker', 'same-page');
  await expect(page.getByTestId('status-line')).toContainText('最近变化');
});

test('an added movie appears marked 新, a removed one fades out and leaves', async ({ page, request }) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  const cards = page.getByTestId('movie-card');
  await expect(cards).toHaveCount(85);
  const tab = page.getByRole('tab', { name: /正在上映/ });
  await expect(tab).toContainText('85');

  await commandFake(request, {
    path: 'add',
    body: { city: 'shanghai', id: '99000001', title: '测试新片', score: 7.7 },
  });
  const added = card(page, '99000001');
  await expect(added).toHaveAttribute('data-change', 'new');
  await expect(added.getByRole('heading')).toContainText('测试新片');
  await expect(added.getByTestId('movie-score')).toHaveText('7.7');
  await expect(cards).toHaveCount(86);
  await expect(tab).toContainText('86');

  await commandFake(request, { path: 'remove', body: { city: 'shanghai', id: '35902857' } });
  const removed = card(page, '35902857');
  // The leaving cue lasts 600 ms: checked at every frame, not at the intervals of
  // expect's retries, which can step over a window that short.
  await page.waitForFunction(
    () =>
      document
        .querySelector('[data-testid="movie-card"][data-movie-id="35902857"]')
        ?.getAttribute('data-change') === 'removed',
    undefined,
    { polling: 'raf' },
  );
  await expect(removed).toHaveCount(0);
  await expect(cards).toHaveCount(85);
});

test('an element of an unchanged card is kept across updates', async ({ page, request }) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  const other = card(page, '35902857');
  await other.evaluate((element) => {
    element.setAttribute('data-probe', 'kept');
  });
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36154853', score: 8.8 } });
  await expect(card(page, '36154853')).toHaveAttribute('data-change', 'down');
  // React reuses the node of a card keyed by id; a re-created list would drop the probe.
  await expect(other).toHaveAttribute('data-probe', 'kept');
  await expect(other).not.toHaveAttribute('data-change');
});
