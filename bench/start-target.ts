// Starts a server under test on loopback, in its own process group, and stops the whole group.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { findListeningPid, PROBE_PATH } from './read-process';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type TargetName = 'app' | 'reference';

export interface Target {
  name: TargetName;
  /** The command as started, for the report. */
  command: string;
  url: string;
  /** The process that listens on the port: the one measured. */
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;
/** Every group started and not yet exited, for `killTargetsNow`. */
const live = new Set<ChildProcess>();

/** A package.json script, read once per bench so that every run of it measures the same command. */
export function readScript(name: string): string {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.[name];
  if (!script) throw new Error(`package.json has no "${name}" script`);
  return script;
}

/**
 * The app as `npm start` runs it: the script's text through `sh -c` with node_modules/.bin on PATH
 * (what npm does), plus `-p <port> -H 127.0.0.1` as `npm start -- -p … -H …` would add them: both
 * `next start` and the project's own server take Next's flags, and nothing listens beyond loopback.
 * The reference: `bench/reference-server.ts` (PORT and HOSTNAME from the environment).
 */
function commandOf({ name, appScript, port }: { name: TargetName; appScript: string; port: number }): {
  file: string;
  args: string[];
  command: string;
} {
  if (name === 'reference') {
    const args = ['--import', 'tsx', 'bench/reference-server.ts'];
    return { file: process.execPath, args, command: `node ${args.join(' ')}` };
  }
  const flags = [
    ...(/\s(-p|--port)\b/.test(appScript) ? [] : ['-p', String(port)]),
    ...(/\s(-H|--hostname)\b/.test(appScript) ? [] : ['-H', '127.0.0.1']),
  ];
  const command = [appScript, ...flags].join(' ');
  return { file: 'sh', args: ['-c', command], command };
}

export async function startTarget({
  name,
  appScript,
  port,
  env,
  probeDir,
  timeoutMs = 90_000,
}: {
  name: TargetName;
  /** The text of the package.json script that starts the app (see `readScript`). */
  appScript: string;
  port: number;
  env: Record<string, string>;
  probeDir: string;
  timeoutMs?: number;
}): Promise<Target> {
  const { file, args, command } = commandOf({ name, appScript, port });
  const nodeOptions = [process.env.NODE_OPTIONS, `--require ${PROBE_PATH}`].filter(Boolean).join(' ');
  const child = spawn(file, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      PATH: `${ROOT}node_modules/.bin:${process.env.PATH ?? ''}`,
      ...env,
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      NODE_OPTIONS: nodeOptions,
      BENCH_PROBE_DIR: probeDir,
    },
    // Its own group, so that stopping it stops npm, sh and the server together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  const collect = (data: Buffer) => {
    output = (output + data.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = () => stopGroup(child);
  const url = `http://127.0.0.1:${port}`;
  try {
    const pid = await waitUntilServing({ child, port, url, timeoutMs, output: () => output });
    return { name, command, url, pid, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilServing({
  child,
  port,
  url,
  timeoutMs,
  output,
}: {
  child: ChildProcess;
  port: number;
  url: string;
  timeoutMs: number;
  output: () => string;
}): Promise<number> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the server exited (${child.exitCode ?? child.signalCode}) before serving:\n${output()}`,
      );
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      const pid = child.pid && findListeningPid({ root: child.pid, port });
      if (res.ok && pid) return pid;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`the server did not serve ${url}/api/health within ${timeoutMs} ms:\n${output()}`);
}

/** SIGTERM to the group, SIGKILL after 5 s; resolves once the group leader has exited. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = once(child, 'exit');
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // npm may exit before its child: make sure nothing of the group is left.
  signal('SIGKILL');
}

/** Kills every group still running at once, synchronously: for the bench's `exit` handler. */
export function killTargetsNow(): void {
  for (const child of live) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
