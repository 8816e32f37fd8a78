import { type APIRequestContext, expect, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';
import { watchCspViolations } from './watch-csp-violations';

const GOOD = '36154853'; // 好东西, 9.1 on the recorded shanghai page

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

/** Changes the film's score at the fake Douban and waits until the app has recorded it. */
async function recordScore(request: APIRequestContext, score: number): Promise<number> {
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score } });
  let points = 0;
  await expect
    .poll(
      async () => {
        await request.get('/api/movies?city=shanghai');
        const response = await request.get(`/api/movies/${GOOD}/history?city=shanghai`);
        if (!response.ok()) return null;
        const history = (await response.json()) as { points: Array<{ score: number | null }> };
        points = history.points.length;
        return history.points.at(-1)?.score;
      },
      { message: 'the app records the new score', timeout: 15_000 },
    )
    .toBe(score);
  return points;
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the server renders the film, its chart from where our history starts, and a way back', async ({
    page,
    request,
  }) => {
    const points = await recordScore(request, 9.3);
    expect(points).toBeGreaterThanOrEqual(2);

    const response = await page.goto(`/movies/${GOOD}?city=shanghai`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('好东西');
    await expect(page.getByTestId('film-score')).toHaveText('9.3');
    await expect(page.getByTestId('film-since')).toContainText(/^自 \d+月\d+日 起/);
    const chart = page.locator('[data-testid="film-chart"][data-metric="score"]');
    await expect(chart.locator('svg path.chart-line')).toHaveAttribute('d', /^M[\d.]+ [\d.]+H/);
    await expect(chart.getByTestId('chart-point')).toHaveCount(points);
    await expect(chart.locator('svg')).toHaveAttribute('role', 'img');
    await expect(page.locator('[data-testid="film-chart"][data-metric="votes"]')).toBeVisible();
    await expect(page.getByTestId('film-listing').getByRole('listitem').first()).toContainText('正在上映');
    const poster = page.locator('.film-head img');
    await expect(poster).toHaveAttribute('src', /^\/api\/poster\?url=/);

    await page.getByTestId('back-to-board').click();
    await expect(page).toHaveURL(/\/\?city=shanghai$/);
    await expect(page.getByTestId('movie-card')).toHaveCount(85);
  });

  test('a malformed id gets a friendly page with a way back, not an error', async ({ page }) => {
    const response = await page.goto('/movies/not-a-film?city=shanghai');
    expect(response?.status()).toBeLessThan(500);
    await expect(page.getByRole('heading', { name: '没有这部电影' })).toBeVisible();
    await expect(page.getByText('“not-a-film”')).toBeVisible();
    await expect(page.getByRole('link', { name: '回到上海的影讯' })).toHaveAttribute(
      'href',
      '/?city=shanghai',
    );
  });

  test('a film never seen says there is no history yet', async ({ page }) => {
    const response = await page.goto('/movies/123?city=shanghai');
    expect(response?.status()).toBeLessThan(500);
    await expect(page.getByRole('heading', { name: '还没有这部电影的记录' })).toBeVisible();
    await expect(page.getByRole('link', { name: '回到上海的影讯' })).toHaveAttribute(
      'href',
      '/?city=shanghai',
    );
  });

  test('an unknown city gets the unknown-city page', async ({ page }) => {
    await page.goto(`/movies/${GOOD}?city=atlantis`);
    await expect(page.getByRole('heading', { name: '没有找到这个城市' })).toBeVisible();
  });
});

test('a score change at Douban reaches the open film page and its chart without a reload', async ({
  page,
  request,
}) => {
  const violations = await watchCspViolations(page);
  const points = await recordScore(request, 9.2);
  await page.goto(`/movies/${GOOD}?city=shanghai`);
  const chart = page.locator('[data-testid="film-chart"][data-metric="score"]');
  await expect(chart.getByTestId('chart-point')).toHaveCount(points);
  await expect(page.getByTestId('film-score')).toHaveText('9.2');
  await page.evaluate(() => {
    document.body.dataset.marker = 'same-page';
  });
  // Give the page's stream time to open: the change must arrive over it, not with the render.
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByType('resource').length))
    .toBeGreaterThan(0);

  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 9.6 } });
  await expect(page.getByTestId('film-score')).toHaveText('9.6');
  await expect(chart.getByTestId('chart-point')).toHaveCount(points + 1);
  await expect(chart.getByTestId('chart-point').last().locator('title')).toHaveText(/ 9\.6$/);
  await expect(page.locator('body')).toHaveAttribute('data-marker', 'same-page');
  expect(await violations()).toEqual([]);
});
