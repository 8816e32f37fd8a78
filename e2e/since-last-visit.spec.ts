import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import type { BoardSnapshot, Movie } from '@/lib/types';
import { commandFake, resetFake } from './fake-douban';

const GOOD = '36154853'; // 好东西, 9.1 on the recorded shanghai page
const LUCKY = '34463311'; // 好运来, 暂无评分 on the recorded page
const NEW = '1234567';
const SEEN_KEY = 'now-showing:seen-board:v1';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

async function readBoard(request: APIRequestContext): Promise<BoardSnapshot> {
  return (await (await request.get('/api/movies?city=shanghai')).json()) as BoardSnapshot;
}

/** Opens the board and waits until it runs in the browser (the mark buttons are rendered there only). */
async function openBoard(page: Page): Promise<void> {
  await page.goto('/?city=shanghai');
  await expect(page.getByRole('button', { name: '关注' }).first()).toBeVisible({ timeout: 15_000 });
}

const idsOf = (page: Page) =>
  page
    .getByTestId('movie-card')
    .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-movie-id')));

test('on return, the summary names what changed at Douban meanwhile, and narrows the board to exactly those', async ({
  context,
  request,
}) => {
  // Three visits and four changes at Douban, each applied by the app's poll.
  test.slow();
  const first = await context.newPage();
  await openBoard(first);
  // A first visit has nothing to compare with; it records what it shows.
  await expect(first.getByTestId('movie-card')).toHaveCount(85);
  await expect(first.getByTestId('since-last-visit')).toHaveCount(0);
  await expect.poll(() => first.evaluate((key) => localStorage.getItem(key), SEEN_KEY)).not.toBeNull();
  await first.close();

  const leaving = (await readBoard(request)).nowPlaying[2] as Movie;
  await commandFake(request, {
    path: 'add',
    body: { city: 'shanghai', id: NEW, title: '新来的', score: 7.7 },
  });
  await commandFake(request, { path: 'remove', body: { city: 'shanghai', id: leaving.id } });
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 9.4 } });
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: LUCKY, score: 7.5 } });
  await expect
    .poll(
      async () => {
        const { nowPlaying } = await readBoard(request);
        const scoreOf = (id: string) => nowPlaying.find((movie) => movie.id === id)?.score;
        return [
          nowPlaying.some((movie) => movie.id === NEW),
          scoreOf(leaving.id),
          scoreOf(GOOD),
          scoreOf(LUCKY),
        ];
      },
      { message: 'the app applies the four changes', timeout: 15_000 },
    )
    .toEqual([true, undefined, 9.4, 7.5]);

  const page = await context.newPage();
  await openBoard(page);
  const summary = page.getByTestId('since-last-visit');
  await expect(summary.getByRole('heading')).toContainText(/^自上次访问（\d+月\d+日 \d\d:\d\d）以来$/);
  await expect(summary.locator('[data-kind="added"] [data-movie-id]')).toHaveText(['《新来的》']);
  await expect(summary.locator('[data-kind="left"] [data-movie-id]')).toHaveText([`《${leaving.title}》`]);
  await expect(summary.locator('[data-kind="rated"] [data-movie-id]')).toHaveText(['《好运来》 7.5']);
  const moved = summary.locator('[data-kind="moved"] [data-movie-id]');
  await expect(moved).toHaveCount(1);
  await expect(moved).toHaveAttribute('data-movie-id', GOOD);
  await expect(moved).toHaveClass(/mark-up/);
  await expect(moved).toContainText('▲0.3');
  await expect(moved).toContainText('9.1→9.4');
  await expect(summary.locator('[data-movie-id]')).toHaveCount(4);

  const narrow = summary.getByRole('button', { name: '只看这些' });
  await narrow.click();
  await expect(narrow).toHaveAttribute('aria-pressed', 'true');
  // In the board's order: an added film leads its list, 好东西 is Douban's first.
  await expect.poll(() => idsOf(page)).toEqual([NEW, GOOD, LUCKY]);
  await page.getByRole('tab', { name: /即将上映/ }).click();
  await expect(page.getByText('这一栏没有上次访问以来变化的影片。')).toBeVisible();
  await page.getByRole('tab', { name: /最近下映/ }).click();
  await expect.poll(() => idsOf(page)).toEqual([leaving.id]);

  // Off again: the whole board; 知道了 puts the summary away.
  await narrow.click();
  await page.getByRole('tab', { name: /正在上映/ }).click();
  await expect(page.getByTestId('movie-card')).toHaveCount(85);
  await summary.getByRole('button', { name: '知道了' }).click();
  await expect(summary).toHaveCount(0);

  // Seen now: the next visit has nothing to tell.
  await page.close();
  const later = await context.newPage();
  await openBoard(later);
  await expect(later.getByTestId('movie-card')).toHaveCount(85);
  await expect(later.getByTestId('since-last-visit')).toHaveCount(0);
});

test('a corrupt record is ignored: no summary, and it is replaced by the board shown', async ({ page }) => {
  await page.addInitScript((key) => {
    if (!sessionStorage.getItem('corrupted')) localStorage.setItem(key, '{"cities": [{"city": 1');
    sessionStorage.setItem('corrupted', 'yes');
  }, SEEN_KEY);
  await openBoard(page);
  await expect(page.getByTestId('movie-card')).toHaveCount(85);
  await expect(page.getByTestId('since-last-visit')).toHaveCount(0);
  await expect
    .poll(() =>
      page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null')?.cities?.[0]?.city, SEEN_KEY),
    )
    .toBe('shanghai');
});
