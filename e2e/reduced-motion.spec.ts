import { expect, type Page, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const card = (page: Page, id: string) => page.locator(`[data-testid="movie-card"][data-movie-id="${id}"]`);

test.describe('with reduced motion', () => {
  test.use({ reducedMotion: 'reduce' });

  test('nothing moves: a changed card keeps a static highlight, a leaving one dims', async ({
    page,
    request,
  }) => {
    await page.goto('/?city=shanghai');
    await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
    const good = card(page, '36154853');
    await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36154853', score: 9.4 } });
    await expect(good).toHaveAttribute('data-change', 'up');
    // The cue is there (its badge and its border), and no animation or transition runs anywhere.
    await expect(good).toContainText('9.1→9.4');
    expect(await good.evaluate((element) => getComputedStyle(element).borderTopColor)).not.toBe(
      'rgba(0, 0, 0, 0)',
    );
    expect(await page.evaluate(() => document.getAnimations().length)).toBe(0);

    await commandFake(request, { path: 'remove', body: { city: 'shanghai', id: '35902857' } });
    // Checked at every frame: the leaving cue lasts 600 ms.
    const leaving = await page.waitForFunction(
      () => {
        const element = document.querySelector('[data-testid="movie-card"][data-movie-id="35902857"]');
        if (element?.getAttribute('data-change') !== 'removed') return null;
        return { opacity: getComputedStyle(element).opacity, animations: document.getAnimations().length };
      },
      undefined,
      { polling: 'raf' },
    );
    expect(await leaving.jsonValue()).toEqual({ opacity: '0.4', animations: 0 });
  });
});

test('without reduced motion the same cues move (what the test above rules out)', async ({
  page,
  request,
}) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36154853', score: 9.4 } });
  const flash = card(page, '36154853').locator('.flash');
  await expect(flash).toHaveCount(1);
  expect(
    await flash.evaluate((element) => element.getAnimations().map((a) => (a as CSSAnimation).animationName)),
  ).toEqual(['flash']);
});
