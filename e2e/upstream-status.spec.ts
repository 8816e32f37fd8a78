import { expect, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

test('the status line turns stale while Douban answers 403 and live again after', async ({
  page,
  request,
}) => {
  await page.goto('/?city=shanghai');
  const status = page.getByTestId('status-line');
  await expect(status).toHaveAttribute('data-state', 'live');
  // Its state is a polite live region; the time of the last change, beside it, is not.
  const region = status.getByRole('status');
  await expect(region).toHaveAttribute('aria-live', 'polite');
  await expect(region).toHaveText('实时更新中');

  await commandFake(request, { path: 'mode', body: { city: 'shanghai', mode: 'http-403' } });
  await expect(status).toHaveAttribute('data-state', 'stale');
  await expect(region).toContainText('豆瓣暂时无法访问');
  // The last good board stays on screen.
  await expect(page.getByTestId('movie-card')).toHaveCount(85);

  await commandFake(request, { path: 'mode', body: { city: 'shanghai', mode: 'ok' } });
  await expect(status).toHaveAttribute('data-state', 'live');
  await expect(status).not.toContainText('豆瓣暂时无法访问');
});

test('a stream the server refuses is reopened with backoff, resuming from the version shown', async ({
  page,
}) => {
  const opened: string[] = [];
  let refuse = true;
  await page.route('**/api/movies/stream?*', async (route) => {
    opened.push(route.request().url());
    if (refuse) await route.fulfill({ status: 503, body: 'busy' });
    else await route.continue();
  });
  await page.goto('/?city=shanghai');
  const status = page.getByTestId('status-line');
  await expect(status).toHaveAttribute('data-state', 'reconnecting');
  await expect(status).toContainText('正在重新连接');
  await expect.poll(() => opened.length).toBeGreaterThanOrEqual(2);

  refuse = false;
  await expect(status).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  const version = (await (await page.request.get('/api/movies?city=shanghai')).json()).version as number;
  for (const url of opened) {
    expect(new URL(url).searchParams.get('lastEventId')).toMatch(/^\d+$/);
  }
  expect(Number(new URL(opened[opened.length - 1]).searchParams.get('lastEventId'))).toBeLessThanOrEqual(
    version,
  );
});
