import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import type { BoardSnapshot } from '@/lib/types';
import { commandFake, resetFake } from './fake-douban';
import { recordAnnouncements } from './record-announcements';

const GOOD = '36154853'; // 好东西, 9.1 on the recorded shanghai page
const KARMA = '36934908'; // 因果报应, 8.6
const LEAVING = '36289263'; // a film of 正在上映 that announcements.spec.ts takes off the page too

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

/** Waits until the app's board of Shanghai lists `id` with `score`: its update is on its way. */
async function boardHas(request: APIRequestContext, { id, score }: { id: string; score: number }) {
  await expect
    .poll(
      async () => {
        const board = (await (await request.get('/api/movies?city=shanghai')).json()) as BoardSnapshot;
        return board.nowPlaying.find((movie) => movie.id === id)?.score;
      },
      { message: `the app's board has ${id} at ${score}`, timeout: 15_000 },
    )
    .toBe(score);
}

async function openFilm(page: Page, id: string) {
  await page.goto(`/movies/${id}?city=shanghai`);
  const region = page.getByTestId('change-announcer');
  await expect(region).toHaveAttribute('role', 'status');
  await expect(region).toHaveAttribute('aria-live', 'polite');
  // The page is the film as it is: nothing to announce.
  await expect(region).toHaveText('');
  return region;
}

test("the film's score change is announced in one sentence; votes alone and other films are not", async ({
  page,
  request,
}) => {
  const region = await openFilm(page, GOOD);
  const heard = await recordAnnouncements(page);
  const back = page.getByTestId('back-to-board');
  await back.focus();

  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 9.4 } });
  await expect(page.getByTestId('film-score')).toHaveText('9.4');
  await expect(region).toHaveText('评分 9.1 → 9.4。');

  // Another film's change reaches this page's stream first (one stream, in order), then this film's
  // votes alone, then its score: only the last is told.
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: KARMA, score: 8.2 } });
  await boardHas(request, { id: KARMA, score: 8.2 });
  await commandFake(request, {
    path: 'score',
    body: { city: 'shanghai', id: GOOD, score: 9.4, votes: 999_999 },
  });
  await expect(page.getByTestId('film-now').locator('.votes')).toHaveText('999,999人评价');
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 9.0 } });
  await expect(page.getByTestId('film-score')).toHaveText('9.0');
  await expect.poll(heard).toEqual(['评分 9.1 → 9.4。', '评分 9.4 → 9.0。']);
  await expect(back).toBeFocused();
  // The page's one region for changes; the follow notices keep theirs.
  await expect(page.getByTestId('change-announcer')).toHaveCount(1);
});

test("a change of another film is not announced on this film's page", async ({ page, request }) => {
  await openFilm(page, GOOD);
  const heard = await recordAnnouncements(page);
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: KARMA, score: 7.7 } });
  await commandFake(request, { path: 'remove', body: { city: 'shanghai', id: LEAVING } });
  await boardHas(request, { id: KARMA, score: 7.7 });
  // This film's change comes after the others on the stream: once it is heard, they were read.
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 8.8 } });
  await expect(page.getByTestId('change-announcer')).toHaveText('评分 9.1 → 8.8。');
  expect(await heard()).toEqual(['评分 9.1 → 8.8。']);
});

test('the film leaving the city is announced, and its return', async ({ page, request }) => {
  const region = await openFilm(page, LEAVING);
  const heard = await recordAnnouncements(page);
  await commandFake(request, { path: 'remove', body: { city: 'shanghai', id: LEAVING } });
  await expect(page.getByTestId('film-now')).toHaveAttribute('data-listed', 'no');
  await expect(region).toHaveText('已下映。');

  await resetFake(request);
  await expect(page.getByTestId('film-now')).toHaveAttribute('data-listed', 'yes');
  await expect(region).toHaveText('已上映。');
  expect(await heard()).toEqual(['已下映。', '已上映。']);
});

test('a snapshot that replaces the film is not announced; the next update is told from it', async ({
  page,
  request,
}) => {
  // The stream's first answer is a snapshot in which the film has another score, as after a
  // reconnection the server could not replay; the stream then reconnects to the real server.
  const board = (await (await request.get('/api/movies?city=shanghai')).json()) as BoardSnapshot;
  const changed: BoardSnapshot = {
    ...board,
    nowPlaying: board.nowPlaying.map((movie) => (movie.id === GOOD ? { ...movie, score: 9.9 } : movie)),
  };
  // Held until the region is recorded, so a snapshot told by mistake would be heard.
  let release = () => {};
  const recorded = new Promise<void>((resolve) => {
    release = resolve;
  });
  let answered = false;
  await page.route('**/api/movies/stream?*', async (route) => {
    if (answered) return route.continue();
    answered = true;
    await recorded;
    await route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' },
      body: `retry: 200\nevent: snapshot\nid: ${board.version}\ndata: ${JSON.stringify(changed)}\n\n`,
    });
  });

  const region = await openFilm(page, GOOD);
  const heard = await recordAnnouncements(page);
  release();
  await expect(page.getByTestId('film-score')).toHaveText('9.9');
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: GOOD, score: 9.3 } });
  await expect(page.getByTestId('film-score')).toHaveText('9.3');
  await expect(region).toHaveText('评分 9.9 → 9.3。');
  expect(await heard()).toEqual(['评分 9.9 → 9.3。']);
});
