import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const nextBin = `${root}node_modules/next/dist/bin/next`;

export interface App {
  url: string;
  /** Everything the server printed, for assertions on logs and for failure reports. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Sends `signal` to the server's process group and returns at once; see `exited`. */
  kill(signal: NodeJS.Signals): void;
  /** Settles when the server process exits: its exit code (null if a signal ended it) and when. */
  exited: Promise<AppExit>;
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** `Date.now()` when the exit was seen. */
  at: number;
}

/**
 * How the app runs: `server` is the production server `npm start` runs (dist/server.js: Next, plus the
 * event stream written straight to Node responses); `next-start` is plain `next start`, where the
 * stream is the route handler, as on Vercel; `dev` is `next dev`.
 */
export type AppMode = 'server' | 'next-start' | 'dev';

/**
 * Starts the built app on loopback with the given environment, and resolves once it prints that it
 * is ready. Stops it (its whole process group) on `stop()`. The build must exist: the test command
 * runs `npm run build` first.
 */
export async function startApp({
  port,
  env,
  mode = 'server',
}: {
  port: number;
  env: Record<string, string>;
  mode?: AppMode;
}): Promise<App> {
  const dev = mode === 'dev';
  // A history of its own, so no run sees another's (a test that restarts an app passes its own).
  const dataDir = env.DATA_DIR ? null : mkdtempSync(path.join(tmpdir(), 'now-showing-data-'));
  const command = mode === 'server' ? [`${root}dist/server.js`] : [nextBin, dev ? 'dev' : 'start'];
  const child = spawn(process.execPath, [...command, '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      // Tests poll a loopback fake several times a second; the budget's own test sets a small one.
      DOUBAN_MAX_RPM: '100000',
      ...(dataDir && { DATA_DIR: dataDir }),
      NODE_ENV: dev ? 'development' : 'production',
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<AppExit>((resolve) => {
    child.once('exit', (code, signal) => {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal, at: Date.now() });
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      if (/Ready in|✓ Ready/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`next exited with ${code} before it was ready:\n${output}`)),
    );
  });
  await withTimeout(ready, 60_000, () => `next did not start:\n${output}`);
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: (signal = 'SIGTERM') => stopGroup(child, signal),
    kill: (signal) => {
      if (child.pid) process.kill(-child.pid, signal);
    },
    exited,
  };
}

async function stopGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = once(child, 'exit');
  try {
    process.kill(-child.pid, signal);
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
