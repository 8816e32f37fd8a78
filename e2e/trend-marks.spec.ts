import { expect, type Locator, type Page, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const card = (page: Page, id: string) => page.locator(`[data-testid="movie-card"][data-movie-id="${id}"]`);
const mark = (scope: Locator, kind: string) =>
  scope.locator(`[data-testid="trend-mark"][data-kind="${kind}"]`);

/** `rgb(r, g, b)` as numbers. */
async function readColor(locator: Locator, property: 'color' | 'background-color'): Promise<number[]> {
  const value = await locator.evaluate(
    (element, name) => getComputedStyle(element).getPropertyValue(name),
    property,
  );
  return (value.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
}

/** WCAG 2 contrast ratio of two sRGB colours. */
function contrast(a: number[], b: number[]): number {
  const luminance = (rgb: number[]) => {
    const [r = 0, g = 0, b = 0] = rgb.map((channel) => {
      const c = channel / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

const todayInBeijing = () =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric' }).format(
    new Date(),
  );

test('after changes at Douban, cards show their marks with arrow and number, and a sparkline', async ({
  page,
  request,
}) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  const good = card(page, '36154853'); // 好东西 9.1, 502,558 votes when first seen
  const karma = card(page, '36934908'); // 因果报应 8.6
  const lucky = card(page, '34463311'); // 好运来, 暂无评分 when first seen
  // The recorded page moved nothing since we first saw it: no change to mark.
  await expect(mark(good, 'score')).toHaveCount(0);

  await commandFake(request, {
    path: 'score',
    body: { city: 'shanghai', id: '36154853', score: 9.4, votes: 502_558 + 12_000 },
  });
  await expect(good.getByTestId('movie-score')).toHaveText('9.4');
  await expect(mark(good, 'score')).toHaveAttribute('data-direction', 'up');
  await expect(mark(good, 'score')).toContainText('▲0.3');
  await expect(mark(good, 'score')).toHaveAttribute('title', /评分上升0\.3/);
  await expect(mark(good, 'votes')).toContainText('▲+1.2万');
  const spark = good.getByTestId('sparkline');
  await expect(spark).toHaveAttribute('role', 'img');
  // From the first value the sparkline holds (other tests of this run may have moved it before) to now.
  await expect(spark).toHaveAttribute('aria-label', /^评分走势：\d\.\d→9\.4$/);
  await expect(spark.locator('svg')).toHaveAttribute('aria-hidden', 'true');
  await expect(spark.locator('polyline')).toHaveAttribute('points', /^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/);
  await expect(good.getByTestId('trend-link')).toHaveAttribute('href', '/movies/36154853?city=shanghai');

  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36934908', score: 8.2 } });
  await expect(mark(karma, 'score')).toHaveAttribute('data-direction', 'down');
  await expect(mark(karma, 'score')).toContainText('▼0.4');

  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '34463311', score: 7.5 } });
  await expect(lucky.getByTestId('movie-score')).toHaveText('7.5');
  await expect(mark(lucky, 'rated')).toContainText(`开分 ${todayInBeijing()}`);
  // It had no score to move from.
  await expect(mark(lucky, 'score')).toHaveCount(0);

  // The Douban and ticket links are as they were.
  await expect(good.getByRole('heading').getByRole('link')).toHaveAttribute(
    'href',
    'https://movie.douban.com/subject/36154853/',
  );
  await expect(good.getByRole('link', { name: /选座购票/ })).toHaveAttribute('target', '_blank');
});

test('in zh-CN a rise is red and a fall green (红涨绿跌), each readable and with its arrow', async ({
  page,
  request,
}) => {
  await page.goto('/?city=shanghai');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36154853', score: 9.3 } });
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36934908', score: 8.1 } });
  const up = mark(card(page, '36154853'), 'score');
  const down = mark(card(page, '36934908'), 'score');
  await expect(up).toContainText('▲0.2');
  await expect(down).toContainText('▼0.5');

  const [ur = 0, ug = 0, ub = 0] = await readColor(up, 'color');
  const [dr = 0, dg = 0, db = 0] = await readColor(down, 'color');
  expect(ur, 'the rise is red').toBeGreaterThan(Math.max(ug, ub) + 80);
  expect(dg, 'the fall is green').toBeGreaterThan(Math.max(dr, db) + 40);
  const surface = await readColor(card(page, '36154853'), 'background-color');
  for (const color of [
    [ur, ug, ub],
    [dr, dg, db],
  ]) {
    expect(contrast(color, surface)).toBeGreaterThanOrEqual(4.5);
  }
});

test('the trend sorts put the biggest vote growth and the biggest score move first', async ({
  page,
  request,
}) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  await commandFake(request, {
    path: 'score',
    body: { city: 'shanghai', id: '35902857', score: 8.8, votes: 89_583 + 30_000 },
  });
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36934908', score: 7.4 } });
  await expect(mark(card(page, '36934908'), 'score')).toContainText('▼1.2');
  await expect(mark(card(page, '35902857'), 'votes')).toContainText('▲+3万');

  const cards = page.getByTestId('movie-card');
  await page.getByLabel('排序').selectOption({ label: '评价增长' });
  await expect(cards.first()).toHaveAttribute('data-movie-id', '35902857');
  await page.getByLabel('排序').selectOption({ label: '评分变化' });
  await expect(cards.first()).toHaveAttribute('data-movie-id', '36934908');
});

test('a film that leaves stays in 最近下映 with its last score and the day it left, until it comes back', async ({
  page,
  request,
}) => {
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  const id = '36934908'; // 因果报应
  const score = await card(page, id).getByTestId('movie-score').textContent();
  await commandFake(request, { path: 'remove', body: { city: 'shanghai', id } });
  await expect(card(page, id)).toHaveCount(0);

  const leftTab = page.getByRole('tab', { name: /最近下映/ });
  await leftTab.click();
  await expect(page.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', 'tab-left');
  const gone = card(page, id);
  await expect(gone).toHaveAttribute('data-left', 'true');
  await expect(gone.getByTestId('movie-score')).toHaveText(score as string);
  await expect(mark(gone, 'left')).toHaveText(`${todayInBeijing()}下映${todayInBeijing()}起不在本市上映`);
  await expect(mark(gone, 'score')).toHaveCount(0);
  // No tickets to sell any more; its page keeps its history.
  await expect(gone.getByRole('link', { name: /选座购票/ })).toHaveCount(0);
  await expect(gone.getByTestId('trend-link')).toHaveAttribute('href', `/movies/${id}?city=shanghai`);

  // The server renders it too (the board's snapshot carries 最近下映).
  await page.reload();
  await page.getByRole('tab', { name: /最近下映/ }).click();
  await expect(card(page, id)).toHaveAttribute('data-left', 'true');

  // Douban lists it again: it leaves 最近下映 and is back in 正在上映.
  await resetFake(request);
  await expect(page.getByRole('tabpanel').locator(`[data-movie-id="${id}"][data-left]`)).toHaveCount(0);
  await page.getByRole('tab', { name: /正在上映/ }).click();
  await expect(card(page, id).getByTestId('movie-score')).toHaveText(score as string);
});
