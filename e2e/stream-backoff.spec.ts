import { expect, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test('refused with 429, the page says it is reconnecting, backs off, and ends up live', async ({
  page,
  request,
}) => {
  // When each stream request left the page, and how many were refused the way the server refuses one
  // past STREAMS_PER_IP (lib/sse/create-stream-admission.ts). EventSource itself gives up on a non-200 answer.
  const attempts: number[] = [];
  const refusals = 2;
  await page.route('**/api/movies/stream?*', async (route) => {
    attempts.push(Date.now());
    if (attempts.length > refusals) return route.continue();
    return route.fulfill({
      status: 429,
      headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        error: 'ip-limit',
        message: 'Your address already has 20 open streams; close one and try again.',
        retryAfterSeconds: 1,
      }),
    });
  });

  await page.goto('/?city=shanghai');
  const status = page.getByTestId('status-line');
  // While refused, the board stays and the line says the live link is being re-established.
  await expect(status).toHaveAttribute('data-state', 'reconnecting');
  await expect(status).toContainText('正在重新连接');
  await expect(page.getByTestId('movie-card')).toHaveCount(85);

  await expect(status).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  expect(attempts.length).toBe(refusals + 1);
  // Each retry waited (the backoff starts at 0.5–1 s) rather than hammering the server; slowness
  // only lengthens the gaps, so a lower bound cannot flake.
  const gaps = attempts.slice(1).map((at, index) => at - (attempts[index] as number));
  for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(400);

  await commandFake(request, {
    path: 'add',
    body: { city: 'shanghai', id: '99000201', title: '退避之后', score: 6.6 },
  });
  const added = page.locator('[data-testid="movie-card"][data-movie-id="99000201"]');
  await expect(added).toHaveAttribute('data-change', 'new');
  await expect(added.getByRole('heading')).toContainText('退避之后');
  expect(attempts.length).toBe(refusals + 1);
});
