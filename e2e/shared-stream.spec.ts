import {
  type APIRequestContext,
  type BrowserContext,
  expect as baseExpect,
  type Page,
  test,
} from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';

// Nine tabs render a board each, on a machine that may be shared with other runs (eight boards
// hydrating at once took minutes on two busy cores): waits are longer than elsewhere, still bounded.
const expect = baseExpect.configure({ timeout: 15_000 });

const GOOD = '36154853'; // 好东西, 9.1 on the recorded shanghai page

test.beforeEach(async ({ context, request }) => {
  await resetFake(request);
  // Nine boards would load ~800 posters, which this spec does not look at.
  await context.route('**/api/poster?*', (route) => route.abort());
});

/** Loads a page and waits until it is live: a tab that never loads, or never gets events, fails here. */
async function openLive(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live', { timeout: 120_000 });
  return page;
}

/**
 * The server's count of open streams for a city: the city's entry in /api/health, which is the size
 * of the city's set of sessions, so exact at any moment.
 */
async function countStreams(request: APIRequestContext, city: string): Promise<number> {
  const health = (await (await request.get('/api/health')).json()) as {
    cities: Array<{ city: string; streams: number }>;
  };
  return health.cities.find((entry) => entry.city === city)?.streams ?? 0;
}

/** Every stream request a page of the context makes, with the page that made it. */
function watchStreamRequests(context: BrowserContext): Array<{ page: Page | null; url: URL }> {
  const requests: Array<{ page: Page | null; url: URL }> = [];
  context.on('request', (request) => {
    if (!request.url().includes('/api/movies/stream')) return;
    requests.push({ page: request.frame().page(), url: new URL(request.url()) });
  });
  return requests;
}

const board = (page: Page) => page.locator('section.board');
const score = (page: Page) =>
  page.locator(`[data-testid="movie-card"][data-movie-id="${GOOD}"]`).getByTestId('movie-score');

test('eight tabs of a city share one stream; when its tab closes another resumes it, and every tab stays current', async ({
  context,
  request,
}) => {
  test.setTimeout(480_000);
  const requests = watchStreamRequests(context);
  // All at once, as a browser restoring its tabs does: with a stream per tab, six streams take every
  // connection the browser allows the site, and the other two tabs never load.
  const tabs = await Promise.all(Array.from({ length: 8 }, () => openLive(context, '/?city=shanghai')));
  await expect.poll(() => countStreams(request, 'shanghai')).toBe(1);
  expect(requests).toHaveLength(1);
  const holder = requests[0]?.page as Page;
  expect(tabs).toContain(holder);

  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 9.4 } });
  for (const tab of tabs) await expect(score(tab)).toHaveText('9.4');
  // Every tab at one version (the board may still move: films an earlier test added come and go).
  const versions = () => Promise.all(tabs.map((tab) => board(tab).getAttribute('data-version')));
  await expect.poll(async () => new Set(await versions()).size).toBe(1);
  const version = (await versions())[0] as string;

  const closedAt = Date.now();
  await holder.close();
  const others = tabs.filter((tab) => tab !== holder);
  // Another tab takes the stream over at once, resuming from the last version it had.
  await expect.poll(() => requests.length).toBe(2);
  test.info().annotations.push({ type: 'takeover', description: `${Date.now() - closedAt} ms` });
  const resumed = requests[1] as { page: Page | null; url: URL };
  expect(others).toContain(resumed.page);
  // Its last version: the one all tabs held, or a later one if an update came before the close.
  expect(Number(resumed.url.searchParams.get('lastEventId'))).toBeGreaterThanOrEqual(Number(version));
  await expect.poll(() => countStreams(request, 'shanghai')).toBe(1);

  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 8.8 } });
  for (const tab of others) {
    await expect(score(tab)).toHaveText('8.8');
    await expect(tab.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  }
  const othersVersions = () => Promise.all(others.map((tab) => board(tab).getAttribute('data-version')));
  await expect.poll(async () => new Set(await othersVersions()).size).toBe(1);
  expect(Number((await othersVersions())[0])).toBeGreaterThan(Number(version));
  for (const tab of others) {
    // Only updates reached the tabs: the server sent the new holder no snapshot, nor did it pass one on.
    await expect(board(tab)).toHaveAttribute('data-snapshots', '0');
  }
  expect(requests).toHaveLength(2);

  // Another city is another stream.
  await openLive(context, '/?city=shangrao');
  await expect.poll(() => countStreams(request, 'shangrao')).toBe(1);
  await expect
    .poll(async () => ((await (await request.get('/api/health')).json()) as { streams: number }).streams)
    .toBe(2);
  expect(await countStreams(request, 'shanghai')).toBe(1);
});

test('a film page shares its city’s stream with the board, and takes it over when the board closes', async ({
  context,
  request,
}) => {
  test.setTimeout(120_000);
  const requests = watchStreamRequests(context);
  const boardTab = await openLive(context, '/?city=shanghai');
  const film = await context.newPage();
  await film.goto(`/movies/${GOOD}?city=shanghai`);
  await expect(film.getByTestId('film-score')).toHaveText('9.1');

  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 9.3 } });
  await expect(score(boardTab)).toHaveText('9.3');
  await expect(film.getByTestId('film-score')).toHaveText('9.3');
  expect(requests.map(({ page }) => page)).toEqual([boardTab]);
  await expect.poll(() => countStreams(request, 'shanghai')).toBe(1);

  await boardTab.close();
  await expect.poll(() => requests.length).toBe(2);
  expect(requests[1]?.page).toBe(film);
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 8.7 } });
  await expect(film.getByTestId('film-score')).toHaveText('8.7');
  await expect.poll(() => countStreams(request, 'shanghai')).toBe(1);
});
