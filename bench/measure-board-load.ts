// One cold load of the board in Chromium on a throttled phone profile, timed from navigation start
// by the page itself: first paint, first card, hydration, the stream live, and a tab that responds.
import os from 'node:os';
import { type Browser, chromium, devices } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium-launch';

/**
 * Chrome DevTools' preset once titled "Fast 3G" (renamed "Slow 4G" in May 2024 with the same values,
 * crbug.com/342406608): devtools-frontend front_end/core/sdk/NetworkManager.ts, `Slow4GConditions`:
 * download 1.6 Mbit/s × 0.9, upload 750 kbit/s × 0.9, latency 150 ms × 3.75 = 562.5 ms; Puppeteer's
 * `PredefinedNetworkConditions['Fast 3G']` has the same. (DevTools before 2021 counted a Mbit as
 * 1024 × 1024 bits: 188,744 B/s down.)
 */
export const FAST_3G = {
  latency: 150 * 3.75,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
} as const;

export const CPU_SLOWDOWN = 4;
export const PHONE = devices['Pixel 7'];
export const PHONE_NAME = 'Pixel 7';

/** Milliseconds from navigation start, as the page's own clock read them. */
export interface LoadTimes {
  firstByte: number;
  fcp: number;
  /** The first card's title painted (Element Timing). */
  firstCard: number;
  /** The first frame in which the 即将上映 tab carries React's event props: the board hydrated. */
  hydrated: number;
  /** The status line turned `data-state="live"`: the stream is open and the board current. */
  live: number;
  /** The 即将上映 tab, clicked as soon as the board was live, showed its panel: usable. */
  usable: number;
  /** From the board live to the click event: the tap's way from this process into the page. */
  liveToClick: number;
  /** From the click event to its panel shown. */
  clickToPanel: number;
  /** The renderer's main thread, in its own CPU time until usable: running script, and all its tasks. */
  scriptCpu: number;
  taskCpu: number;
  /** The machine's 1-minute load average as the load began (the CPU is shared). */
  loadAverage: number;
  /** Script bytes the browser received until usable (encoded body sizes), and how many files. */
  scriptBytes: number;
  scriptFiles: number;
}

type Marks = Partial<Record<'cardInDom' | 'firstCard' | 'hydrated' | 'live' | 'click' | 'switched', number>>;
/** Where to tap the 即将上映 tab, in CSS pixels of the viewport, read when the board went live. */
type TabPoint = { x: number; y: number };
type ProbeWindow = { __firstLoad: Marks; __firstLoadMark(name: 'live' | 'switched', at?: TabPoint): void };

/**
 * Runs in the page before its own scripts. Records the times in `window.__firstLoad` and reports
 * `live` (with where the tab is) and `switched` through the exposed binding, so nothing polls the
 * page while it loads.
 */
function probe(): void {
  const marks: Marks = {};
  const w = window as unknown as ProbeWindow;
  w.__firstLoad = marks;
  const mark = (name: keyof Marks, at = performance.now()) => {
    if (marks[name] === undefined) marks[name] = at;
  };
  // Element Timing entries reach observers only, never performance.getEntriesByType().
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as { identifier: string; renderTime: number }[])
      if (entry.identifier === 'first-card')
        marks.firstCard = Math.min(marks.firstCard ?? entry.renderTime, entry.renderTime);
  }).observe({ type: 'element', buffered: true });
  const watch = new MutationObserver(() => {
    // Marked before the first paint (observers run before rendering), so Element Timing reports it:
    // the heading and its link, whichever Chromium takes for the text's element, each as soon as the
    // parser has inserted it (it may stop between the two).
    const title = document.querySelector('[data-testid="movie-card"] .title');
    for (const node of [title, title?.querySelector('a')]) {
      if (!node || node.hasAttribute('elementtiming')) continue;
      node.setAttribute('elementtiming', 'first-card');
      mark('cardInDom');
    }
    const status = document.querySelector('[data-testid="status-line"]');
    if (marks.live === undefined && status?.getAttribute('data-state') === 'live') {
      mark('live');
      const tab = document.getElementById('tab-upcoming')?.getBoundingClientRect();
      if (tab) w.__firstLoadMark('live', { x: tab.x + tab.width / 2, y: tab.y + tab.height / 2 });
    }
    const panel = document.getElementById('panel-upcoming');
    if (marks.switched === undefined && panel && !panel.hidden) {
      mark('switched');
      w.__firstLoadMark('switched');
    }
  });
  watch.observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-state', 'hidden'],
  });
  addEventListener('click', (event) => mark('click', event.timeStamp), true);
  // React keeps a node's handlers in an own property named `__reactProps$<random>` once hydrated.
  const checkHydrated = () => {
    const tab = document.getElementById('tab-upcoming');
    if (tab && Object.keys(tab).some((key) => key.startsWith('__reactProps$'))) mark('hydrated');
    else requestAnimationFrame(checkHydrated);
  };
  requestAnimationFrame(checkHydrated);
}

/** What the page recorded, read once it is usable. */
function readTimes(): Pick<LoadTimes, 'firstByte' | 'fcp' | 'scriptBytes' | 'scriptFiles'> & {
  marks: Marks;
} {
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
  const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
    (entry) => entry.initiatorType === 'script' || /\.js(\?|$)/.test(new URL(entry.name).pathname),
  );
  return {
    firstByte: navigation?.responseStart ?? Number.NaN,
    fcp,
    scriptBytes: scripts.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
    scriptFiles: scripts.length,
    marks: (window as unknown as ProbeWindow).__firstLoad,
  };
}

/**
 * The source of `fn` to run in the page. tsx compiles this file with esbuild's keepNames, which wraps
 * named functions in a `__name(…)` helper the page does not have: give the copy a local one.
 */
function inPage(fn: () => unknown): string {
  return `(() => { const __name = (f) => f; return (${fn.toString()})(); })()`;
}

/** Launches Debian's Chromium as the e2e suite does (`CHROMIUM_PATH` overrides the path). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Loads `url` once in a fresh browser (cold cache, no socket kept from before) with the phone
 * profile, `throttled` or not, and times it; fails after `timeoutMs`.
 */
export async function measureBoardLoad({
  url,
  throttled = true,
  timeoutMs = 120_000,
}: {
  url: string;
  throttled?: boolean;
  timeoutMs?: number;
}): Promise<LoadTimes> {
  const loadAverage = os.loadavg()[0];
  const browser = await launchChromium();
  let timer: NodeJS.Timeout | undefined;
  try {
    const context = await browser.newContext({ ...PHONE });
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${url} not usable within ${timeoutMs} ms`)), timeoutMs);
    });
    let onLive: (tab: TabPoint) => void = () => {};
    let onSwitched: () => void = () => {};
    const live = new Promise<TabPoint>((resolve) => {
      onLive = resolve;
    });
    const switched = new Promise<void>((resolve) => {
      onSwitched = resolve;
    });
    await page.exposeBinding('__firstLoadMark', (_source, name: string, tab?: TabPoint) => {
      if (name === 'live' && tab) onLive(tab);
      if (name === 'switched') onSwitched();
    });
    await page.addInitScript({ content: inPage(probe) });
    const cdp = await context.newCDPSession(page);
    // Durations in the renderer main thread's own CPU time, which other work on the machine does not
    // stretch as it stretches every clock time here. Chromium's throttling does count in it: at ×4 the
    // figures are about 4.5 times those of an unthrottled load.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    if (throttled) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...FAST_3G });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    }
    await page.goto(url, { waitUntil: 'commit' });
    // A tap where the page said the tab is, at once: Playwright's click would first wait for the
    // element to be stable and hit-testable, seconds on a throttled CPU that no user waits.
    const tab = await Promise.race([live, timeout]);
    await page.touchscreen.tap(tab.x, tab.y);
    await Promise.race([switched, timeout]);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
    const { marks, ...times } = (await page.evaluate(inPage(readTimes))) as ReturnType<typeof readTimes>;
    const need = (name: keyof Marks) => {
      const value = marks[name];
      if (value === undefined) throw new Error(`the page never recorded ${name}`);
      return value;
    };
    return {
      ...times,
      firstCard: marks.firstCard ?? Number.NaN,
      hydrated: need('hydrated'),
      live: need('live'),
      liveToClick: need('click') - need('live'),
      usable: need('switched'),
      clickToPanel: need('switched') - need('click'),
      scriptCpu: metric('ScriptDuration'),
      taskCpu: metric('TaskDuration'),
      loadAverage,
    };
  } finally {
    clearTimeout(timer);
    await browser.close();
  }
}
