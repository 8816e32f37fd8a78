import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';

const GOOD = '36154853'; // 好东西, 9.1 on the recorded shanghai page

// axe walks every element of 85 cards (contrast, names, roles): tens of seconds on a busy machine.
test.describe.configure({ timeout: 120_000 });

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

/**
 * Runs axe (WCAG 2.x A and AA rules) on the page as it is, or on the part `only` selects, and expects
 * no serious or critical violation. Each one found is one readable line per element in the failure
 * message: the rule, its impact, the element and what axe says to fix.
 */
async function expectNoSeriousViolations(page: Page, where: string, only?: string): Promise<void> {
  let axe = new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    // Passes are counted, not listed: listing every passing element of 85 cards is most of the time.
    .options({ resultTypes: ['violations'] });
  if (only) axe = axe.include(only);
  const { violations } = await axe.analyze();
  const lines = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${violation.help}. ${
            node.failureSummary?.replace(/\s+/g, ' ') ?? ''
          }`,
      ),
    );
  expect(lines, `serious or critical axe violations on ${where}`).toEqual([]);
}

async function openBoard(page: Page): Promise<void> {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('movie-card')).toHaveCount(85);
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
}

/** Waits until the cards' flashes have run their course: the cue as it stays, not mid-animation. */
async function settleFlashes(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      [...document.querySelectorAll('.flash')].flatMap((flash) =>
        flash.getAnimations().map((a) => a.finished),
      ),
    ),
  );
}

test('the board has no serious accessibility violations', async ({ page }) => {
  await openBoard(page);
  await expectNoSeriousViolations(page, 'the board');
  await page.getByRole('tab', { name: /即将上映/ }).click();
  await expect(page.getByTestId('movie-card')).toHaveCount(10);
  await expectNoSeriousViolations(page, 'the 即将上映 tab', '#panel-upcoming');
});

test('the tabs and the filter form as the server renders them, for a page without JavaScript, have none either', async ({
  page,
}) => {
  // axe runs inside the page, so JavaScript stays on: the page's own scripts are taken out instead.
  await page.route(
    (url) => url.pathname === '/',
    async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/<script\b[\s\S]*?<\/script>/g, '');
      await route.fulfill({ response, body: html });
    },
  );
  await page.goto('/?city=shanghai&tab=upcoming&region=cn');
  await expect(page.getByRole('link', { name: /即将上映/ })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expectNoSeriousViolations(page, 'the board without JavaScript', '.toolbar');
});

test('cards with change cues (up, down, new) and marks have none either', async ({ page, request }) => {
  await openBoard(page);
  await commandFake(request, {
    path: 'score',
    body: { city: 'shanghai', id: GOOD, score: 9.4, votes: 900_000 },
  });
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36934908', score: 8.2 } });
  await commandFake(request, {
    path: 'add',
    body: { city: 'shanghai', id: '99000001', title: '测试新片', score: 7.7 },
  });
  const changed = page.locator('[data-testid="movie-card"][data-change]');
  await expect(changed).toHaveCount(3);
  await expect(changed.getByTestId('trend-mark').first()).toBeVisible();
  await settleFlashes(page);
  await expectNoSeriousViolations(page, 'the cards with cues', '[data-testid="movie-card"][data-change]');
});

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('the board, with a cue, has no serious accessibility violations', async ({ page, request }) => {
    await openBoard(page);
    await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 9.4 } });
    await expect(page.locator('[data-testid="movie-card"][data-change="up"]')).toHaveCount(1);
    await settleFlashes(page);
    await expectNoSeriousViolations(page, 'the board in dark mode');
  });
});

test('the film page has no serious accessibility violations', async ({ page }) => {
  // resetFake had the board polled, so the film has its history.
  await page.goto(`/movies/${GOOD}?city=shanghai`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('好东西');
  await expect(page.getByTestId('film-chart').first()).toBeVisible();
  await expectNoSeriousViolations(page, 'the film page');
});

test('the city picker, open, has no serious accessibility violations', async ({ page }) => {
  await openBoard(page);
  const input = page.getByTestId('city-picker').getByRole('combobox');
  await input.focus();
  await input.press('ArrowDown');
  await expect(input).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('option', { name: /上海/ })).toHaveAttribute('aria-selected', 'true');
  await expectNoSeriousViolations(page, 'the open city picker', '[data-testid="city-picker"]');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the board and the film page have no serious accessibility violations', async ({ page }) => {
    await openBoard(page);
    await expectNoSeriousViolations(page, 'the board on a phone');
    await page.goto(`/movies/${GOOD}?city=shanghai`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('好东西');
    await expectNoSeriousViolations(page, 'the film page on a phone');
  });
});
