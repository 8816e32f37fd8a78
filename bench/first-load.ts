// `npm run bench:first-load`: what a first visit to the board costs. The JavaScript the board and the
// film page load (Next 16's Turbopack build prints no "First Load JS" per route any more), and the
// time to a usable board in Chromium on a throttled phone, median of --runs cold loads. The built app
// (as `npm start` runs it) against the fake Douban, on loopback.
//   node --import tsx bench/first-load.ts [--runs 5] [--port-base 4430] [--build] [--out <file>]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FakeDouban, startFakeDouban } from '../scripts/fake-douban/start-fake-douban';
import { formatLoadTimes, formatWeights } from './format-first-load';
import {
  CPU_SLOWDOWN,
  FAST_3G,
  type LoadTimes,
  launchChromium,
  measureBoardLoad,
  PHONE,
  PHONE_NAME,
} from './measure-board-load';
import { measureFirstLoadJs } from './measure-first-load-js';
import { killTargetsNow, ROOT, readScript, startTarget, type Target } from './start-target';

const BOARD = '/?city=shanghai';
/** 好东西, the first film of the recorded Shanghai page. */
const FILM = '/movies/36154853?city=shanghai';

const log = (line: string) =>
  process.stderr.write(`[first-load ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function readOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      'port-base': { type: 'string', default: '4430' },
      build: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const portBase = Number(values['port-base']);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs ${values.runs}: 1–50`);
  if (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65_000)
    throw new Error(`--port-base ${values['port-base']}: 1024–65000`);
  return { runs, portBase, build: values.build, out: values.out && path.resolve(values.out) };
}

/** The build measured, and how it relates to the checkout: a stale build would measure old code. */
function describeBuild(distDir: string): string[] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const head = git('log', '-1', '--format=%H %cI');
  // The last commit that changed more than this bench (package.json holds its script): what a
  // before/after compares.
  const app = git('log', '-1', '--format=%h %s', '--', '.', ':(exclude)bench');
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  const built = statSync(path.join(distDir, 'BUILD_ID')).mtime;
  const committed = new Date(git('log', '-1', '--format=%cI'));
  return [
    `Checkout: ${head}${dirty ? ' (with uncommitted changes to tracked files)' : ''}`,
    `Last commit outside bench/: ${app.length > 100 ? `${app.slice(0, 99)}…` : app}`,
    `Build: ${path.relative(ROOT, distDir) || distDir}, written ${built.toISOString()}` +
      (built < committed ? ' — OLDER THAN THE LAST COMMIT: rebuild (--build) before comparing' : ''),
  ];
}

function ensureBuild({ build, distDir }: { build: boolean; distDir: string }): void {
  const built = existsSync(path.join(distDir, 'BUILD_ID')) && existsSync(path.join(ROOT, 'dist/server.js'));
  if (!build && built) return;
  if (!build) throw new Error(`no build in ${distDir}: run \`npm run build\` first, or pass --build`);
  log('npm run build');
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.status ?? result.signal})`);
}

/** Until the app serves the board from Douban (the fake), not saved data or nothing. */
async function waitForBoard(baseUrl: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const board = (await (await fetch(`${baseUrl}/api/movies?city=shanghai`)).json()) as { source?: string };
    if (board.source === 'douban') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the app did not fetch the fake Douban within 30 s');
}

async function main(): Promise<void> {
  const options = readOptions();
  const distDir = path.resolve(ROOT, process.env.NEXT_DIST_DIR || '.next');
  ensureBuild({ build: options.build, distDir });
  const header = [
    `# npm run bench:first-load: ${new Date().toISOString()}`,
    '',
    ...describeBuild(distDir),
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores shared with other work ` +
      `(load average ${os.loadavg()[0].toFixed(2)} at start), Node ${process.version}. Compare ` +
      'before/after only between runs of this script on the same machine under similar load.',
  ];

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'first-load-'));
  let fake: FakeDouban | undefined;
  let app: Target | undefined;
  const stop = async () => {
    await app?.stop();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killTargetsNow);
  try {
    fake = await startFakeDouban({ port: options.portBase });
    app = await startTarget({
      name: 'app',
      appScript: readScript('start'),
      port: options.portBase + 1,
      probeDir: dataDir,
      env: {
        DOUBAN_BASE_URL: fake.url,
        DOUBAN_IMAGE_ORIGIN: fake.url,
        DATA_DIR: dataDir,
      },
    });
    log(`app on ${app.url}, fake Douban on ${fake.url}`);
    await waitForBoard(app.url);

    const weights = [];
    for (const pagePath of [BOARD, FILM])
      weights.push(await measureFirstLoadJs({ baseUrl: app.url, pagePath, distDir }));

    // One unthrottled load first, discarded: the server's code, its poster cache and the board warm.
    log('warm-up load (not counted)');
    await measureBoardLoad({ url: `${app.url}${BOARD}`, throttled: false });
    const chromium = await launchChromium();
    const chromiumVersion = chromium.version();
    await chromium.close();
    const runs: LoadTimes[] = [];
    for (let run = 1; run <= options.runs; run++) {
      log(`throttled load ${run}/${options.runs}`);
      runs.push(await measureBoardLoad({ url: `${app.url}${BOARD}` }));
    }

    const report = [
      ...header,
      '',
      ...formatWeights(weights),
      '',
      ...formatLoadTimes({
        runs,
        profile:
          `${BOARD}, Chromium ${chromiumVersion}, ${PHONE_NAME} (${PHONE.viewport.width}×${PHONE.viewport.height}, ` +
          `DPR ${PHONE.deviceScaleFactor}, touch), CPU ×${CPU_SLOWDOWN} (Emulation.setCPUThrottlingRate), ` +
          `DevTools "Fast 3G" (now "Slow 4G"): ${FAST_3G.latency} ms latency, ` +
          `${FAST_3G.downloadThroughput} B/s down, ${FAST_3G.uploadThroughput} B/s up ` +
          '(Network.emulateNetworkConditions); cold: a new browser for each load',
      }),
      '',
      `Load average at the end: ${os.loadavg()[0].toFixed(2)}.`,
    ].join('\n');
    console.log(report);
    if (options.out) {
      mkdirSync(path.dirname(options.out), { recursive: true });
      writeFileSync(options.out, `${report}\n`);
      log(`written to ${path.relative(process.cwd(), options.out)}`);
    }
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
