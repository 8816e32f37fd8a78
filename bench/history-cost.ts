// What the history costs: recording one poll of the Shanghai page (95 films), the snapshot's growth
// with a month of trends, and the bytes a film takes on disk. Synthetic time, the real parser and
// store; two months: scores that keep moving (a tenth of them every day) and scores that hold (as
// most do; counts grow either way). Run with `npm run bench:history`.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseNowPlaying } from '../lib/douban/parse-now-playing';
import { createHistory } from '../lib/history/create-history';
import { createSqliteBackend } from '../lib/history/create-sqlite-backend';
import type { Movie, NowPlayingPage } from '../lib/types';

const MINUTE = 60_000;
const root = path.join(import.meta.dirname, '..');
const page = parseNowPlaying(
  readFileSync(path.join(root, 'fixtures/douban/nowplaying-shanghai.html'), 'utf8'),
);
const films = page.nowPlaying.length + page.upcoming.length;

/** The page at poll `n`: every vote and 想看 count has grown, and (`scoresMove`) a tenth of the scores moved once a day. */
function pageAt(n: number, pollsPerDay: number, scoresMove: boolean): NowPlayingPage {
  const day = scoresMove ? Math.floor(n / pollsPerDay) : -1;
  const grow = (movie: Movie, index: number): Movie => ({
    ...movie,
    votes: movie.votes === null ? null : movie.votes + n * (index + 1),
    wish: movie.wish === null ? null : movie.wish + n * 3,
    score:
      movie.score === null || day < 0 || index % 10 !== day % 10
        ? movie.score
        : Math.min(10, movie.score + 0.1),
  });
  return { nowPlaying: page.nowPlaying.map(grow), upcoming: page.upcoming.map(grow) };
}

const sizeOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function measure(scoresMove: boolean): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'history-cost-'));
  const history = createHistory({ backend: createSqliteBackend({ dataDir }) });
  const start = Date.UTC(2026, 0, 1);
  // A month of history first, one poll an hour (what the store keeps of it is the same at any poll rate
  // past the 10-minute point gap, once thinned) ...
  const pollsPerDay = 24;
  for (let n = 0; n < 31 * pollsPerDay; n++) {
    await history.record({
      city: 'shanghai',
      page: pageAt(n, pollsPerDay, scoresMove),
      at: start + n * 60 * MINUTE,
    });
  }
  // ... then an hour of polls a minute apart, timed: counts grow at every poll, a point every ten minutes.
  const timings: number[] = [];
  let recorded = page;
  const from = start + 31 * 24 * 60 * MINUTE;
  for (let n = 0; n < 60; n++) {
    const began = performance.now();
    recorded = await history.record({
      city: 'shanghai',
      page: pageAt(31 * pollsPerDay + n, pollsPerDay, scoresMove),
      at: from + n * MINUTE,
    });
    timings.push(performance.now() - began);
  }
  const plain = pageAt(31 * pollsPerDay + 59, pollsPerDay, scoresMove);
  const withTrend = sizeOf(recorded);
  const without = sizeOf(plain);
  // A month of history on disk, thinned as the store keeps it (the pruning runs hourly in `record`).
  await history.close();
  const file = path.join(dataDir, 'history.sqlite');
  const bytes = statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  rmSync(dataDir, { recursive: true, force: true });

  const trendBytes = [...recorded.nowPlaying, ...recorded.upcoming].map((movie) => sizeOf(movie.trend));
  console.log(
    `\n${scoresMove ? 'scores moving' : 'scores holding'}; films on the page: ${films} (${page.nowPlaying.length} + ${page.upcoming.length})`,
  );
  console.log(
    `record one poll: median ${median(timings).toFixed(2)} ms, p99 ${[...timings].sort((a, b) => a - b)[Math.floor(timings.length * 0.99)]?.toFixed(2)} ms over ${timings.length} polls`,
  );
  console.log(
    `movies JSON of the page: ${without} bytes without trends, ${withTrend} with (+${(((withTrend - without) / without) * 100).toFixed(1)} %)`,
  );
  console.log(`trend per movie: median ${median(trendBytes)} bytes, max ${Math.max(...trendBytes)}`);
  console.log(
    `store after 31 days of one city: ${(bytes / 1024).toFixed(0)} KB, ${(bytes / films / 1024).toFixed(1)} KB per film`,
  );
}

async function main(): Promise<void> {
  await measure(true);
  await measure(false);
}

void main();
