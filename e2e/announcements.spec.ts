import { expect, type Page, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';
import { recordAnnouncements } from './record-announcements';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const card = (page: Page, id: string) => page.locator(`[data-testid="movie-card"][data-movie-id="${id}"]`);

test('a batch of changes at Douban is announced once, in one sentence, and focus stays put', async ({
  page,
  request,
}) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  const region = page.getByTestId('change-announcer');
  await expect(region).toHaveAttribute('aria-live', 'polite');
  await expect(region).toHaveAttribute('role', 'status');
  // The first snapshot is the page itself: nothing to announce.
  await expect(region).toHaveText('');
  const heard = await recordAnnouncements(page);
  const link = card(page, '36154853').getByRole('link', { name: '好东西', exact: true });
  await link.focus();

  // Douban holds its answer while five films change, so they all arrive in one update.
  await commandFake(request, { path: 'mode', body: { city: 'shanghai', mode: 'timeout' } });
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36154853', score: 9.4 } });
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36934908', score: 8.2 } });
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '35902857', score: 8.0 } });
  await commandFake(request, {
    path: 'add',
    body: { city: 'shanghai', id: '99000001', title: '测试新片', score: 7.7 },
  });
  await commandFake(request, { path: 'remove', body: { city: 'shanghai', id: '36289263' } });
  await commandFake(request, { path: 'mode', body: { city: 'shanghai', mode: 'ok' } });

  await expect(card(page, '99000001')).toHaveAttribute('data-change', 'new');
  await expect(card(page, '36154853')).toHaveAttribute('data-change', 'up');
  const batch = '3 部影片评分变化，1 部新上映，1 部下映。';
  await expect(region).toHaveText(batch);
  await expect(link).toBeFocused();

  // A later change is its own sentence; by the time it is heard, any repeat of the batch would be too.
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36934908', score: 8.5 } });
  await expect(card(page, '36934908').getByTestId('movie-score')).toHaveText('8.5');
  await expect.poll(heard).toEqual([batch, '1 部影片评分变化。']);
  await expect(link).toBeFocused();
  // The board's live regions: the status line's state and the changes' sentence; no card has one.
  const board = page.getByRole('region', { name: '上海影讯' });
  await expect(board.locator('[aria-live]')).toHaveCount(2);
  await expect(
    page.getByTestId('movie-card').locator('[aria-live], [role="status"], [role="alert"]'),
  ).toHaveCount(0);
});

test('votes moving alone are not announced', async ({ page, request }) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  const heard = await recordAnnouncements(page);
  const good = card(page, '36154853');
  const votes = good.locator('.votes');
  const before = await votes.textContent();
  await commandFake(request, {
    path: 'score',
    body: { city: 'shanghai', id: '36154853', score: 9.1, votes: 999_999 },
  });
  await expect(votes).not.toHaveText(before ?? '');
  await expect(votes).toHaveText('999,999人评价');
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36154853', score: 9.2 } });
  await expect(page.getByTestId('change-announcer')).toHaveText('1 部影片评分变化。');
  expect(await heard()).toEqual(['1 部影片评分变化。']);
});
