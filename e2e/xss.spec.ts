import { expect, type Page, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';
import { readEventStream } from './read-event-stream';
import { watchCspViolations } from './watch-csp-violations';

const APP_URL = `http://127.0.0.1:${Number(process.env.E2E_PORT_BASE ?? 4210) + 1}`;
const HOSTILE = [
  { id: '99000101', title: '<img src=x onerror=alert(1)>' },
  { id: '99000102', title: '"><script>alert(2)</script>' },
] as const;

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const card = (page: Page, id: string) => page.locator(`[data-testid="movie-card"][data-movie-id="${id}"]`);

/** Every alert/confirm/prompt the page opens: the titles above would open one if they ever ran. */
function watchDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on('dialog', (dialog) => {
    opened.push(dialog.message());
    void dialog.dismiss();
  });
  return opened;
}

async function expectTitlesShownAsText(page: Page): Promise<void> {
  for (const { id, title } of HOSTILE) {
    await expect(card(page, id).getByRole('heading').getByRole('link')).toHaveText(title);
  }
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  const scripts = await page.evaluate(() => [...document.scripts].map((script) => script.textContent));
  expect(scripts).not.toContain('alert(2)');
}

test('hostile titles show as text, live and server-rendered, and travel as JSON strings', async ({
  page,
  request,
}) => {
  const dialogs = watchDialogs(page);
  const violations = await watchCspViolations(page);
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  const stream = await readEventStream(`${APP_URL}/api/movies/stream?city=shanghai`);
  try {
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
    await stream.next((event) => event.event === 'snapshot');

    for (const { id, title } of HOSTILE) {
      await commandFake(request, { path: 'add', body: { city: 'shanghai', id, title, score: 7.1 } });
    }
    // Each title reaches the stream inside one `data:` line as a JSON string that reads back exact.
    const seen = new Map<string, string>();
    while (seen.size < HOSTILE.length) {
      const update = await stream.next((event) => event.event === 'update');
      expect(update.data).not.toContain('\n');
      const { added } = JSON.parse(update.data) as { added: Array<{ id: string; title: string }> };
      for (const movie of added) seen.set(movie.id, movie.title);
    }
    for (const { id, title } of HOSTILE) expect(seen.get(id)).toBe(title);
  } finally {
    stream.close();
  }

  // Applied by the client from the live update…
  await expectTitlesShownAsText(page);
  // …and rendered by the server on a fresh load.
  await page.reload();
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  await expectTitlesShownAsText(page);
  const snapshot = await (await request.get('/api/movies?city=shanghai')).json();
  const titles = (snapshot.nowPlaying as Array<{ title: string }>).map((movie) => movie.title);
  expect(titles).toEqual(expect.arrayContaining(HOSTILE.map((movie) => movie.title)));
  expect(dialogs).toEqual([]);
  expect(await violations()).toEqual([]);
});
