// The output of `npm run bench:first-load`: Markdown tables, readable as plain text too.
import type { LoadTimes } from './measure-board-load';
import type { Asset, PageWeight } from './measure-first-load-js';

const KB = 1024;
const kb = (bytes: number) => (bytes / KB).toFixed(1);
const bytes = (value: number) => value.toLocaleString('en-US');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const rule = (columns: number) => row(Array.from({ length: columns }, (_, i) => (i === 0 ? '---' : '---:')));

const sum = (assets: Asset[], key: 'raw' | 'gzip9' | 'served') =>
  assets.reduce((total, asset) => total + asset[key], 0);
const encodings = (assets: Asset[]) => [...new Set(assets.map((asset) => asset.encoding))].join(', ');
const chunkName = (url: string) => url.replace('/_next/static/chunks/', '');

export function formatWeights(pages: PageWeight[]): string[] {
  const totals = pages.map((page) => ({ label: page.path, assets: page.scripts }));
  const urlsOf = (page: PageWeight) => new Set(page.scripts.map((asset) => asset.url));
  const shared = pages
    .slice(1)
    .reduce((common, page) => common.filter((asset) => urlsOf(page).has(asset.url)), pages[0]?.scripts ?? []);
  if (pages.length > 1) totals.push({ label: 'shared by both', assets: shared });
  const chunks = [...new Map(pages.flatMap((page) => page.scripts).map((a) => [a.url, a])).values()];
  const noModule = [...new Map(pages.flatMap((page) => page.noModule).map((a) => [a.url, a])).values()];
  const styles = [...new Map(pages.flatMap((page) => page.stylesheets).map((a) => [a.url, a])).values()];

  return [
    '## First-load JavaScript',
    '',
    "The script chunks each page's server-rendered HTML references (`<script src>`, and any chunk the RSC",
    'payload names), read from the build. KB = 1,024 bytes. gzip-9: node:zlib gzip level 9 of the built',
    'file. served: the bytes `npm start` sends to a browser that accepts what Chromium accepts',
    `(it sent: ${encodings(chunks)}).`,
    '',
    row(['page', 'files', 'raw KB', 'gzip-9 KB', 'served KB']),
    rule(5),
    ...totals.map(({ label, assets }) =>
      row([
        label,
        assets.length,
        kb(sum(assets, 'raw')),
        kb(sum(assets, 'gzip9')),
        kb(sum(assets, 'served')),
      ]),
    ),
    '',
    row(['chunk', 'raw B', 'gzip-9 B', 'served B', ...pages.map((page) => page.path)]),
    rule(4 + pages.length),
    ...chunks.map((asset) =>
      row([
        chunkName(asset.url),
        bytes(asset.raw),
        bytes(asset.gzip9),
        bytes(asset.served),
        ...pages.map((page) => (urlsOf(page).has(asset.url) ? '✓' : '')),
      ]),
    ),
    '',
    'Not counted: the `noModule` polyfills, which only browsers without ES modules load: ' +
      noModule.map((a) => `${chunkName(a.url)} ${bytes(a.raw)} B raw, ${bytes(a.gzip9)} B gzip-9`).join('; '),
    `Also on a first visit: CSS ${styles.map((a) => `${chunkName(a.url)} ${bytes(a.raw)} B raw, ${bytes(a.gzip9)} B gzip-9`).join('; ')}; ` +
      'the HTML document ' +
      pages
        .map(
          (page) =>
            `${page.path} ${bytes(page.html.raw)} B raw, ${bytes(page.html.gzip9)} B gzip-9, ` +
            `${bytes(page.html.served)} B served (${page.html.encoding})`,
        )
        .join('; ') +
      '.',
  ];
}

const FIGURES: { label: string; value: (run: LoadTimes) => number; digits?: number }[] = [
  { label: 'first byte of the document', value: (r) => r.firstByte },
  { label: 'first contentful paint', value: (r) => r.fcp },
  { label: "first card painted (its title's Element Timing)", value: (r) => r.firstCard },
  { label: 'hydrated (the tab has its React handlers)', value: (r) => r.hydrated },
  { label: 'stream live (status line data-state="live")', value: (r) => r.live },
  { label: '**usable**: 即将上映 clicked once live, its panel shown', value: (r) => r.usable },
  { label: 'live → click event (the tap reaching the page)', value: (r) => r.liveToClick },
  { label: 'click event → panel shown', value: (r) => r.clickToPanel },
  { label: 'main thread CPU until usable: script (ms, thread time)', value: (r) => r.scriptCpu },
  { label: 'main thread CPU until usable: all tasks (ms, thread time)', value: (r) => r.taskCpu },
  { label: 'script received until usable (KB, encoded)', value: (r) => r.scriptBytes / KB, digits: 1 },
  { label: 'machine load average as the load began', value: (r) => r.loadAverage, digits: 1 },
];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export function formatLoadTimes({ runs, profile }: { runs: LoadTimes[]; profile: string }): string[] {
  const show = (value: number | undefined, digits = 0) =>
    value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
  return [
    '## Time to a usable board, throttled phone',
    '',
    `${profile}. Milliseconds from navigation start, as the page's clock read them; N = ${runs.length}.`,
    '',
    row(['figure', 'median', 'min', 'max', ...runs.map((_, i) => `run ${i + 1}`)]),
    rule(4 + runs.length),
    ...FIGURES.map(({ label, value, digits }) => {
      const values = runs.map(value);
      const finite = values.filter(Number.isFinite);
      return row([
        label,
        show(finite.length ? median(finite) : undefined, digits),
        show(finite.length ? Math.min(...finite) : undefined, digits),
        show(finite.length ? Math.max(...finite) : undefined, digits),
        ...values.map((v) => show(v, digits)),
      ]);
    }),
    '',
    `Script files received until usable: ${[...new Set(runs.map((run) => run.scriptFiles))].join(' or ')}.`,
  ];
}
