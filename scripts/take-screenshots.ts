// `npm run screenshots`: retakes docs/screenshot.png (a 1440×900 desktop window, taken down to the end of
// the first row of cards) and docs/screenshot-phone.png (a 390×844 phone screen) of the shanghai board
// as a returning viewer sees it: the summary of what changed since the last visit (自上次访问以来), trend
// marks on the cards and a film this viewer follows (关注).
//
// It builds nothing: run `npm run build` first (it starts `node dist/server.js`). It needs Debian's
// Chromium (CHROMIUM_PATH overrides /usr/bin/chromium) and a CJK font (`apt-get install -y
// fonts-noto-cjk`), else every Chinese character is drawn as a box. Env: SCREENSHOT_PORT_BASE (default
// 4390): the fake Douban on it, the app on +1. Everything it starts is stopped again, also on failure.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type PageScreenshotOptions,
} from '@playwright/test';
import type { BoardSnapshot } from '@/lib/types';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-launch';
import { type FakeDouban, startFakeDouban } from './fake-douban/start-fake-douban';

const FAKE_PORT = Number(process.env.SCREENSHOT_PORT_BASE ?? 4390);
const APP_PORT = FAKE_PORT + 1;
const APP_URL = `http://127.0.0.1:${APP_PORT}`;
const CITY = 'shanghai';
const DOCS = path.join(import.meta.dirname, '..', 'docs');
/** A PNG in the README should not weigh more than this; the phone shot drops to scale 1 above it. */
const MAX_PNG_BYTES = 600 * 1024;

// Films of the recorded shanghai page, all near the top of the board so the marks show in the shots.
const GOOD = { id: '36154853', score: 9.1, votes: 502_558 }; // 好东西
const KARMA = '36934908'; // 因果报应, 8.6
const LUCKY = '34463311'; // 好运来, 暂无评分
const FOLLOWED = GOOD.id;
const NEW = { id: '1234567', title: '雪夜来客', score: 7.9 };

/** How to stop what was started so far, in the order it was started. */
const stops: Array<() => Promise<void>> = [];
let stopped = Promise.resolve();
let interrupted = false;

/**
 * Stops what is running, last started first; one that fails does not keep the others running. Calls
 * queue up, so the stop a signal starts and the one the failure it causes asks for do not overlap, and
 * what started in between is stopped too.
 */
function stopAll(): Promise<void> {
  stopped = stopped.then(async () => {
    for (let stop = stops.pop(); stop; stop = stops.pop())
      await stop().catch((error) => console.error(error));
  });
  return stopped;
}

async function main(): Promise<void> {
  assertCjkFont();
  // Stopping what runs makes the steps waiting on it fail, and main ends through its `finally`.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      interrupted = true;
      void stopAll();
    });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'now-showing-screenshots-'));
  stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const fake = await startFakeDouban({ port: FAKE_PORT });
    stops.push(() => fake.close());
    const app = startApp({ fakeUrl: fake.url, dataDir });
    stops.push(() => stopApp(app));
    await waitForHealth(app);
    const browser = await chromium.launch({
      // Else Playwright ends this process on a signal before the app and the fake Douban are stopped.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
    stops.push(() => browser.close());
    await takeScreenshots(browser, fake);
  } finally {
    await stopAll();
  }
}

async function takeScreenshots(browser: Browser, fake: FakeDouban): Promise<void> {
  const viewer = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai', colorScheme: 'light' } as const;
  const desktop = await browser.newContext({ ...viewer, viewport: { width: 1440, height: 900 } });

  // First visit: the board as Douban's recorded page has it; the viewer follows a film and leaves.
  const first = await openBoard(desktop);
  await cardOf(first, FOLLOWED).getByTestId('mark-follow').click();
  await cardOf(first, FOLLOWED).locator('[data-testid="mark-follow"][aria-pressed="true"]').waitFor();
  await waitFor('the visit to be recorded', () =>
    first.evaluate(() => localStorage.getItem('now-showing:seen-board:v1') !== null),
  );
  await first.close();
  // The phone is the same viewer coming back: it starts from what this browser kept.
  const kept = await desktop.storageState();

  // Meanwhile at Douban. The film that leaves is a rated one the other changes leave alone.
  const leaving = (await readBoard()).nowPlaying.find(
    (movie) => ![GOOD.id, KARMA, LUCKY].includes(movie.id) && movie.score !== null,
  );
  if (!leaving) throw new Error('no film to take off the board');
  fake.setScore({ city: CITY, id: GOOD.id, score: 9.4, votes: GOOD.votes + 12_000 });
  fake.setScore({ city: CITY, id: KARMA, score: 8.2 });
  fake.setScore({ city: CITY, id: LUCKY, score: 7.5 });
  fake.addMovie({ city: CITY, ...NEW });
  fake.removeMovie({ city: CITY, id: leaving.id });
  await waitFor('the app to apply the changes', async () => {
    const { nowPlaying } = await readBoard();
    const scoreOf = (id: string) => nowPlaying.find((movie) => movie.id === id)?.score;
    return (
      scoreOf(GOOD.id) === 9.4 &&
      scoreOf(KARMA) === 8.2 &&
      scoreOf(LUCKY) === 7.5 &&
      nowPlaying.some((movie) => movie.id === NEW.id) &&
      !nowPlaying.some((movie) => movie.id === leaving.id)
    );
  });

  const back = await openBoard(desktop);
  await shoot(back, { file: path.join(DOCS, 'screenshot.png'), scale: 1, frame: frameDesktop });
  await desktop.close();

  for (const deviceScaleFactor of [2, 1]) {
    const phone = await browser.newContext({
      ...viewer,
      storageState: kept,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor,
      isMobile: true,
      hasTouch: true,
    });
    const file = path.join(DOCS, 'screenshot-phone.png');
    await shoot(await openBoard(phone), { file, scale: deviceScaleFactor, frame: framePhone });
    await phone.close();
    if (statSync(file).size <= MAX_PNG_BYTES) break;
    console.log(`${path.basename(file)} is over ${MAX_PNG_BYTES / 1024} KB at scale 2; taking it at scale 1`);
  }
}

const cardOf = (page: Page, id: string) => page.locator(`[data-testid="movie-card"][data-movie-id="${id}"]`);

/** Opens the board and waits until it runs in the browser (the 关注 buttons are rendered there only). */
async function openBoard(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${APP_URL}/?city=${CITY}`);
  await page.getByTestId('mark-follow').first().waitFor({ timeout: 30_000 });
  return page;
}

/**
 * Waits until the stream is live, the summary is shown and the posters in view have loaded, then saves
 * the part of the page that `frame` picks.
 */
async function shoot(
  page: Page,
  {
    file,
    scale,
    frame,
  }: { file: string; scale: number; frame: (page: Page) => Promise<PageScreenshotOptions> },
): Promise<void> {
  await page.locator('[data-testid="status-line"][data-state="live"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('since-last-visit').waitFor({ timeout: 30_000 });
  const options = await frame(page);
  await page.evaluate(() => document.fonts.ready);
  await waitFor('the posters in view to load', () =>
    page.evaluate(() =>
      [...document.images]
        .filter((image) => {
          const { top, bottom } = image.getBoundingClientRect();
          return bottom > 0 && top < window.innerHeight;
        })
        .every((image) => image.complete && image.naturalWidth > 0),
    ),
  );
  // Entry animations and the caret would otherwise be caught half-way.
  await page.screenshot({ ...options, path: file, animations: 'disabled', caret: 'hide', scale: 'device' });
  const kb = Math.round(statSync(file).size / 1024);
  console.log(`${path.relative(process.cwd(), file)}: ${kb} KB (scale ${scale})`);
}

/**
 * Desktop: the top of the page down to the end of the first row of cards, where the followed film's
 * pressed 关注 and the sparklines are; at 900 pixels high the window cuts that row short.
 */
async function frameDesktop(page: Page): Promise<PageScreenshotOptions> {
  const card = await cardOf(page, FOLLOWED).boundingBox();
  if (!card) throw new Error('the followed film is not on the board');
  const width = page.viewportSize()?.width ?? 1440;
  return { fullPage: true, clip: { x: 0, y: 0, width, height: Math.ceil(card.y + card.height + 12) } };
}

/**
 * Phone: the first screen, as a returning viewer sees it: the city, the live status and the summary
 * (the cards with their marks are in the desktop shot).
 */
async function framePhone(): Promise<PageScreenshotOptions> {
  return {};
}

function startApp({ fakeUrl, dataDir }: { fakeUrl: string; dataDir: string }): ChildProcess {
  // Its own process group, so that stopping it stops all it started.
  return spawn(process.execPath, ['dist/server.js', '-p', String(APP_PORT), '-H', '127.0.0.1'], {
    cwd: path.join(import.meta.dirname, '..'),
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      DOUBAN_BASE_URL: fakeUrl,
      DOUBAN_IMAGE_ORIGIN: fakeUrl,
      POLL_INTERVAL_MS: '500',
      POLL_BACKOFF_MAX_MS: '1000',
      DOUBAN_MAX_RPM: '100000',
      // A history of its own: the shots never show an earlier run's.
      DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
}

async function stopApp(app: ChildProcess): Promise<void> {
  if (app.exitCode !== null || app.signalCode !== null || app.pid === undefined) return;
  const exited = new Promise((resolve) => app.once('exit', resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(app.pid as number), name);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  const force = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(force);
}

async function waitForHealth(app: ChildProcess): Promise<void> {
  await waitFor(
    `the app on ${APP_URL} (built? run \`npm run build\` first)`,
    async () => {
      if (app.exitCode !== null) throw new Error(`the app exited with code ${app.exitCode}`);
      return (await fetch(`${APP_URL}/api/health`).catch(() => null))?.ok === true;
    },
    60_000,
  );
}

async function readBoard(): Promise<BoardSnapshot> {
  return (await (await fetch(`${APP_URL}/api/movies?city=${CITY}`)).json()) as BoardSnapshot;
}

/** Polls `done` until it holds; there is no event to await across processes. */
async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (interrupted) throw new Error('interrupted');
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function assertCjkFont(): void {
  let fonts = '';
  try {
    fonts = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  } catch {
    // No fontconfig tools: let Chromium find what it can.
    return;
  }
  if (fonts.trim() === '')
    throw new Error('no Chinese font: install one first (`apt-get install -y fonts-noto-cjk`)');
}

main().catch((error: unknown) => {
  console.error(`screenshots failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(interrupted ? 130 : 1);
});
