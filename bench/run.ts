// `npm run bench`: fan-out of the app (as `npm start` runs it) against a bare Node reference server,
// both polling the same fake Douban; see bench/README.md for what is measured and how.
//   node --import tsx bench/run.ts [--n 1000,5000,10000] [--changes 5] [--targets app,reference]
//     [--rate 1000] [--churn 3] [--out bench/results] [--port-base 4400] [--poll-ms 1000]
//     [--app-script start] [--build | --no-build]
//   node --import tsx bench/run.ts --render bench/results/<date>.json   (the output again, no measuring)
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FakeDouban, startFakeDouban } from '../scripts/fake-douban/start-fake-douban';
import { drawChart } from './draw-chart';
import { type BenchResults, describeMachine, formatMarkdown, formatText } from './format-report';
import { measureTarget, type TargetResult } from './measure-target';
import { killLoadsNow } from './start-load';
import { killTargetsNow, ROOT, readScript, type TargetName } from './start-target';

const TARGETS: readonly TargetName[] = ['app', 'reference'];
/** 好东西, the first movie of the recorded Shanghai page: its score is what changes. */
const MOVIE_ID = '36154853';
const CITY = 'shanghai';

function readOptions() {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '1000,5000,10000' },
      changes: { type: 'string', default: '5' },
      targets: { type: 'string', default: 'app,reference' },
      rate: { type: 'string', default: '1000' },
      churn: { type: 'string', default: '3' },
      out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
      'port-base': { type: 'string', default: '4400' },
      'poll-ms': { type: 'string', default: '1000' },
      'app-script': { type: 'string', default: 'start' },
      render: { type: 'string' },
      build: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const problems: string[] = [];
  const whole = (name: string, raw: string, min: number, max: number) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`--${name} ${raw}: ${min}–${max}`);
    return value;
  };
  const ns = values.n.split(',').map((raw) => whole('n', raw.trim(), 1, 50_000));
  const targets = values.targets.split(',').map((raw) => raw.trim()) as TargetName[];
  for (const target of targets)
    if (!TARGETS.includes(target)) problems.push(`--targets: no target ${target}`);
  const options = {
    ns,
    targets,
    changes: whole('changes', values.changes, 0, 50),
    rate: whole('rate', values.rate, 0, 100_000),
    churn: whole('churn', values.churn, 0, 10),
    portBase: whole('port-base', values['port-base'], 1024, 65_000),
    pollMs: whole('poll-ms', values['poll-ms'], 100, 60_000),
    out: path.resolve(values.out),
    appScript: values['app-script'],
    render: values.render,
    build: (values.build ? 'always' : values['no-build'] ? 'never' : 'if-missing') as BuildMode,
  };
  if (problems.length) throw new UsageError(`bad options:\n  ${problems.join('\n  ')}`);
  return options;
}

class UsageError extends Error {}

const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Each client is a socket on both sides: the server and the load process each need N descriptors. */
function checkFileLimit(maxN: number): void {
  const limit = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  const needed = maxN + 1024;
  if (limit !== 'unlimited' && Number(limit) < needed) {
    throw new UsageError(
      `ulimit -n is ${limit}: ${maxN} clients need at least ${needed} open files per process.\n` +
        `  Raise it in this shell first (e.g. \`ulimit -n 65536\`; the hard limit is ` +
        `${execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim()}), or pass a smaller --n.`,
    );
  }
}

/** Other test runs on this machine make every figure noisier: say so (and record it) rather than refuse. */
function listOtherTestRuns(): string[] {
  // Not our own callers: a test that runs the bench is a vitest process itself.
  const ancestors = new Set<string>();
  for (let pid = String(process.pid); pid !== '0' && !ancestors.has(pid); ) {
    ancestors.add(pid);
    pid = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] ?? '0';
  }
  const busy = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && !ancestors.has(entry))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return /vitest|playwright/.test(cmd) ? [cmd.slice(0, 100)] : [];
      } catch {
        return [];
      }
    });
  if (busy.length) log(`warning: other test runs are going, figures will be noisy:\n  ${busy.join('\n  ')}`);
  return busy;
}

type BuildMode = 'always' | 'if-missing' | 'never';

/**
 * Builds with `npm run build` when `<dist>/BUILD_ID`, or a .js file the start script names (such as
 * `dist/server.js`), is missing; or always, with --build. A private NEXT_DIST_DIR makes Next rewrite
 * tsconfig.json and next-env.d.ts: both are put back afterwards.
 */
function ensureBuild({ build, appScript }: { build: BuildMode; appScript: string }): void {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const needed = [path.join(distDir, 'BUILD_ID'), ...(appScript.match(/[\w./-]+\.[cm]?js\b/g) ?? [])];
  const built = needed.every((file) => existsSync(path.join(ROOT, file)));
  if (build === 'never' && !built) throw new UsageError(`no build (${needed.join(', ')}) and --no-build`);
  if (build !== 'always' && built) return;
  log(`building the app into ${distDir} (npm run build)`);
  const kept = ['tsconfig.json', 'next-env.d.ts'].flatMap((file) => {
    const full = path.join(ROOT, file);
    return distDir !== '.next' && existsSync(full) ? [[full, readFileSync(full)] as const] : [];
  });
  try {
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 2, 2],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) throw new Error(`npm run build failed (${build.status ?? build.signal})`);
  } finally {
    for (const [file, content] of kept) writeFileSync(file, content);
  }
}

function describeThisMachine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

function writeResults(results: BenchResults, out: string, { rendered = false } = {}): void {
  mkdirSync(out, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (!rendered) writeFileSync(path.join(out, `${results.date.replaceAll(':', '-')}.json`), json);
  writeFileSync(path.join(out, 'latest.json'), json);
  writeFileSync(path.join(out, 'latest.md'), formatMarkdown(results));
  writeFileSync(path.join(out, 'latest.svg'), drawChart(results));
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options.render) {
    // Only the output again (say, after a change of the table), from a results file: no measuring.
    const results = JSON.parse(readFileSync(options.render, 'utf8')) as BenchResults;
    writeResults(results, options.out, { rendered: true });
    process.stdout.write(`${formatText(results)}\n`);
    return;
  }
  checkFileLimit(Math.max(...options.ns));
  const busyBefore = listOtherTestRuns();
  // Read once: a script changed during the bench must not mix two servers in one table.
  const appScript = readScript(options.appScript);
  ensureBuild({ build: options.build, appScript });
  const probeDir = mkdtempSync(path.join(os.tmpdir(), 'bench-probe-'));
  let fake: FakeDouban | undefined;
  const cleanUp = async () => {
    killLoadsNow();
    killTargetsNow();
    await fake?.close();
    rmSync(probeDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping everything`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  process.once('exit', () => {
    killLoadsNow();
    killTargetsNow();
  });

  try {
    fake = await startFakeDouban({ port: options.portBase });
    const env = {
      DOUBAN_BASE_URL: fake.url,
      POLL_INTERVAL_MS: String(options.pollMs),
      POLL_JITTER: '0',
      // The fake Douban is polled at --poll-ms, whatever the budget for the real one would allow.
      DOUBAN_MAX_RPM: '100000',
      // Each run records its own history, as a fresh deployment would.
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'now-showing-bench-')),
      // Polling goes on between the phases, when no client is connected.
      POLL_GRACE_MS: '3600000',
      // Heartbeats are broadcasts too; kept out of the measured windows.
      SSE_HEARTBEAT_MS: '600000',
      // Every simulated viewer connects from 127.0.0.1: the per-IP and total limits are off.
      STREAMS_PER_IP: '0',
      STREAMS_MAX: '0',
    };
    log(`machine: ${describeMachine(describeThisMachine())}; fake Douban at ${fake.url}`);
    const runs: TargetResult[] = [];
    for (const n of options.ns) {
      for (const target of options.targets) {
        runs.push(
          await measureTarget({
            target,
            appScript,
            n,
            changes: options.changes,
            rate: options.rate,
            churn: options.churn,
            city: CITY,
            movieId: MOVIE_ID,
            port: options.portBase + 1 + TARGETS.indexOf(target),
            fake,
            env,
            probeDir,
            log,
          }),
        );
      }
    }
    const results: BenchResults = {
      date: new Date().toISOString(),
      machine: describeThisMachine(),
      options: {
        n: options.ns,
        changes: options.changes,
        rate: options.rate,
        churn: options.churn,
        pollMs: options.pollMs,
        nextDistDir: process.env.NEXT_DIST_DIR || '.next',
        appScript: `${options.appScript}: ${appScript}`,
      },
      otherTestRuns: [...new Set([...busyBefore, ...listOtherTestRuns()])],
      runs,
    };
    writeResults(results, options.out);
    process.stdout.write(`\n${formatText(results)}\n\n`);
    log(`results in ${path.relative(process.cwd(), options.out) || '.'}/latest.{json,md,svg}`);
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(error.message);
  else console.error(error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
