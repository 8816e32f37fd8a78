import { expect, type Page, test } from '@playwright/test';
import type { BoardSnapshot, Movie } from '@/lib/types';
import { commandFake, resetFake } from './fake-douban';

const RECORD = 'e2e:notifications';

test.use({ permissions: ['notifications'] });

test.beforeEach(async ({ request, context }) => {
  await resetFake(request);
  // Every system notification the page constructs, and every permission request, into the
  // browser's storage, where any tab of the context can read them all.
  await context.addInitScript((key) => {
    const Real = window.Notification;
    const record = (entry: Record<string, string>) => {
      const entries = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown[];
      localStorage.setItem(key, JSON.stringify([...entries, entry]));
    };
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        record({ title, body: options?.body ?? '' });
      }
      static override get permission() {
        return Real.permission;
      }
      static override requestPermission() {
        record({ asked: 'permission' });
        return Real.requestPermission();
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
  }, RECORD);
});

const card = (page: Page, id: string) => page.locator(`[data-testid="movie-card"][data-movie-id="${id}"]`);

/** Resolves once every tell this tab asked for before it has run: Web Locks serve requests in order. */
const settle = (page: Page) => page.evaluate(() => navigator.locks.request('now-showing:tell', () => true));

test('a followed film that comes to 正在上映 is told once: one notice and one system notification, not one per tab', async ({
  context,
  page,
  request,
}) => {
  // Three tabs, two changes at Douban, each applied by the app's poll.
  test.slow();
  const board = (await (await request.get('/api/movies?city=shanghai')).json()) as BoardSnapshot;
  const film = board.upcoming[0] as Movie;

  await page.goto('/?city=shanghai');
  // The mark buttons are rendered in the browser only: there, the page runs.
  await expect(page.getByRole('button', { name: '关注' }).first()).toBeVisible({ timeout: 15_000 });
  const filmPage = await context.newPage();
  await filmPage.goto(`/movies/${film.id}?city=shanghai`);
  await expect(filmPage.getByTestId('film-now')).toContainText('上海即将上映');
  const followOnFilmPage = filmPage.getByRole('button', { name: '关注' });
  await expect(followOnFilmPage).toHaveAttribute('aria-pressed', 'false', { timeout: 15_000 });

  // Followed on the board, followed in the other tab at once.
  await page.getByRole('tab', { name: /即将上映/ }).click();
  const follow = card(page, film.id).getByRole('button', { name: '关注' });
  await follow.click();
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  await expect(followOnFilmPage).toHaveAttribute('aria-pressed', 'true');
  await expect(filmPage.getByTestId('follow-threshold')).toBeVisible();
  // Permission granted: no button to ask for it, and nothing asked on load.
  await expect(page.getByRole('button', { name: '开启系统通知' })).toHaveCount(0);

  const playing = page.getByRole('tab', { name: /正在上映/ }).locator('.tab-count');
  const before = Number(await playing.textContent());
  // Listed in 正在上映 at Douban: the board moves it there from 即将上映.
  await commandFake(request, {
    path: 'add',
    body: { city: 'shanghai', id: film.id, title: film.title, score: null },
  });
  await expect(playing).toHaveText(String(before + 1), { timeout: 15_000 });
  await expect(filmPage.getByTestId('film-now')).toContainText('上海正在上映', { timeout: 15_000 });
  await settle(page);
  await settle(filmPage);

  const text = `《${film.title}》在上海上映了`;
  const notices = [page, filmPage].map((tab) => tab.getByTestId('follow-notice'));
  const counts = await Promise.all(notices.map((notices) => notices.count()));
  expect(counts[0] + counts[1], 'in-page notices across both tabs').toBe(1);
  await expect(notices[counts[0] === 1 ? 0 : 1]).toHaveText([`${text}×`]);
  const recorded = await filmPage.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]'), RECORD);
  expect(recorded).toEqual([{ title: '正在上映 · 关注', body: text }]);

  // A tab opened later does not tell it again.
  const third = await context.newPage();
  await third.goto(`/movies/${film.id}?city=shanghai`);
  await expect(third.getByTestId('film-now')).toContainText('上海正在上映');
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: film.id, score: 6.2 } });
  await expect(third.getByTestId('film-score')).toHaveText('6.2', { timeout: 15_000 });
  await Promise.all([page, filmPage, third].map(settle));
  // 开分 is news, told once too.
  const all = [page, filmPage, third].map((tab) =>
    tab.getByTestId('follow-notice').filter({ hasText: '开分' }),
  );
  const rated = await Promise.all(all.map((notices) => notices.count()));
  expect(rated.reduce((sum, count) => sum + count, 0)).toBe(1);
  const after = await third.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]'), RECORD);
  expect(after).toEqual([
    { title: '正在上映 · 关注', body: text },
    { title: '正在上映 · 关注', body: `《${film.title}》开分：6.2` },
  ]);
});
