import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withTimeout } from './start-app';
import { eventually } from './wait-for';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The recipe the README gives operators: the test runs this file, not a copy of it. */
export const RECIPE_PATH = path.join(root, 'deploy/nginx.conf');
/**
 * Debian's nginx (package nginx, which `npm test` installs when missing). Its absolute path, not
 * PATH: /usr/sbin is not on a non-root user's PATH.
 */
export const NGINX_PATH = process.env.NGINX_PATH || '/usr/sbin/nginx';

export interface NginxWorker {
  pid: number;
  /** Set after a reload or a graceful stop: the worker only finishes the connections it holds. */
  shuttingDown: boolean;
}

export interface Nginx {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The configuration it runs: the recipe as rendered for this test. */
  config: string;
  /** Its error log and anything it printed, for failure reports. */
  output(): string;
  /** Each access log line: `<client> "<request>" <status> <upstream> <bytes sent>`. */
  accessLog(): string[];
  /** The master's worker processes now (from /proc: children of the master). */
  workers(): NginxWorker[];
  /** Established TCP connections the workers hold to 127.0.0.1:`port` (an instance), from /proc. */
  connectionsTo(port: number): number;
  /**
   * `nginx -s reload`, as an operator runs it; resolves once a new generation of workers runs, with
   * the workers that served before (they leave when their connections end, or at worker_shutdown_timeout).
   */
  reload(): Promise<number[]>;
  /** SIGTERM (fast shutdown), SIGKILL to the whole group after 5 s; resolves once nginx has exited. */
  stop(): Promise<void>;
}

export interface RecipeOptions {
  /** Where nginx listens, on 127.0.0.1. */
  port: number;
  /** The two upstream servers' ports (the recipe's 127.0.0.1:3000 and 127.0.0.1:3001). */
  upstreams: readonly [number, number];
  /** Replaces the recipe's worker_shutdown_timeout, e.g. `3s`. */
  workerShutdownTimeout?: string;
  /** Uncomments the recipe's optional `gzip` lines. */
  gzip?: boolean;
  /** The folder for pid, logs and temp files. */
  prefix: string;
}

const LOG_FORMAT = `'$remote_addr "$request" $status $upstream_addr $bytes_sent'`;

/**
 * The recipe (deploy/nginx.conf) as a test runs it: the listen port, the upstream ports, and
 * optionally worker_shutdown_timeout and gzip are replaced, and the test's own `daemon off`, pid,
 * logs and temp paths are added (the Debian build's defaults are in /run and /var, which a test
 * must not touch). Each replacement must match the recipe exactly as often as expected: when the
 * recipe changes shape, this throws rather than silently running something else.
 */
export function renderRecipe({
  port,
  upstreams,
  workerShutdownTimeout,
  gzip,
  prefix,
}: RecipeOptions): string {
  let text = readFileSync(RECIPE_PATH, 'utf8');
  const replace = (what: string, pattern: RegExp, replacement: string, times = 1) => {
    const found = text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))?.length ?? 0;
    if (found !== times) {
      throw new Error(`${RECIPE_PATH}: expected ${times} × ${what} (${pattern}), found ${found}`);
    }
    text = text.replace(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`), replacement);
  };
  replace('listen 80', /^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  replace('the first upstream server', /^(\s*server )127\.0\.0\.1:3000\b/m, `$1127.0.0.1:${upstreams[0]}`);
  replace('the second upstream server', /^(\s*server )127\.0\.0\.1:3001\b/m, `$1127.0.0.1:${upstreams[1]}`);
  if (workerShutdownTimeout) {
    replace(
      'worker_shutdown_timeout',
      /^worker_shutdown_timeout \S+;$/m,
      `worker_shutdown_timeout ${workerShutdownTimeout};`,
    );
  }
  if (gzip) replace('the commented gzip lines', /^(\s*)# (gzip(?:_types)? .*;)$/m, '$1$2', 2);
  const file = (name: string) => path.join(prefix, name);
  replace(
    'http {',
    /^http \{$/m,
    [
      'http {',
      '  # Added by the test: logs and temp files in its own folder.',
      `  log_format test ${LOG_FORMAT};`,
      `  access_log ${file('access.log')} test;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (kind) => `  ${kind}_temp_path ${file(`${kind}_temp`)};`,
      ),
    ].join('\n'),
  );
  return [
    '# Added by the test: in the foreground, as a child of the test, pid and error log in its own folder.',
    'daemon off;',
    `pid ${file('nginx.pid')};`,
    `error_log ${file('error.log')} notice;`,
    '',
    text,
  ].join('\n');
}

/**
 * Runs Debian's nginx with the recipe rendered for this test (renderRecipe), in the foreground as a
 * child of the test (never the system service), with a folder of its own in tmp for pid, logs and
 * temp files, listening on 127.0.0.1:`port`. Resolves once it answers HTTP (its 502 while no
 * instance is up counts). Killed with its workers if the test process exits.
 */
export async function startNginx(options: Omit<RecipeOptions, 'prefix'>): Promise<Nginx> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'now-showing-nginx-'));
  // Started as root, nginx runs its workers as `nobody`, who must reach the temp folders in here.
  chmodSync(prefix, 0o755);
  const config = renderRecipe({ ...options, prefix });
  const configPath = path.join(prefix, 'nginx.conf');
  writeFileSync(configPath, config);
  const args = ['-p', prefix, '-c', configPath];
  const url = `http://127.0.0.1:${options.port}`;

  let printed = '';
  const master: ChildProcess = spawn(NGINX_PATH, args, {
    cwd: prefix,
    // Its own process group: a stop that has to SIGKILL takes the workers too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (data: Buffer) => {
    printed += data.toString();
  };
  master.stdout?.on('data', onData);
  master.stderr?.on('data', onData);
  const killGroup = () => {
    try {
      if (master.pid) process.kill(-master.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  // A crashed test runner must not leave nginx and its workers on the port.
  process.once('exit', killGroup);
  const exited = once(master, 'exit');

  const readLog = (name: string) => {
    try {
      return readFileSync(path.join(prefix, name), 'utf8');
    } catch {
      return '';
    }
  };
  const output = () => `${printed}${readLog('error.log')}`;
  const workers = () => (master.pid ? childrenOf(master.pid) : []);

  const stop = async () => {
    if (master.exitCode === null && master.signalCode === null) {
      master.kill('SIGTERM');
      const timer = setTimeout(killGroup, 5_000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killGroup);
    rmSync(prefix, { recursive: true, force: true });
  };

  try {
    await withTimeout(
      Promise.race([
        eventually(`nginx answers HTTP on ${url}`, () => answersHttp(url), 10_000),
        exited.then(() => {
          throw new Error('nginx exited');
        }),
      ]),
      11_000,
      () => 'nginx did not start',
    );
  } catch (error) {
    const report = `${(error as Error).message}:\n${output()}\n--- config:\n${config}`;
    await stop();
    throw new Error(report);
  }

  return {
    url,
    config,
    output,
    accessLog: () => readLog('access.log').split('\n').filter(Boolean),
    workers,
    connectionsTo: (port) => countConnections({ pids: workers().map((w) => w.pid), port }),
    async reload() {
      const before = workers();
      const serving = before.filter((w) => !w.shuttingDown).length;
      await promisify(execFile)(NGINX_PATH, [...args, '-s', 'reload']);
      const old = new Set(before.map((w) => w.pid));
      await eventually(`nginx starts ${serving} new workers after the reload`, () => {
        const fresh = workers().filter((w) => !old.has(w.pid) && !w.shuttingDown);
        return fresh.length === serving;
      });
      return [...old];
    },
    stop,
  };
}

/** Any HTTP answer from a fresh connection: nginx's workers accept and answer. */
function answersHttp(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request(`${url}/`, { method: 'HEAD', agent: false, timeout: 1_000 }, (response) => {
      response.resume();
      resolve(true);
    });
    probe.on('timeout', () => probe.destroy());
    probe.on('error', () => resolve(false));
    probe.end();
  });
}

/** The processes whose parent is `pid`, read from /proc (a worker's title says when it is leaving). */
function childrenOf(pid: number): NginxWorker[] {
  const found: NginxWorker[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields after its `)` are fixed.
      const [, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) !== pid) continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      found.push({ pid: Number(entry), shuttingDown: title.includes('shutting down') });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Established IPv4 connections to port `port` among the sockets that the processes `pids` hold. */
function countConnections({ pids, port }: { pids: number[]; port: number }): number {
  const inodes = new Set<string>();
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode) inodes.add(inode);
      }
    } catch {
      // The process (or the descriptor) went away while we looked.
    }
  }
  const remote = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  // Rows: sl, local address, remote address, state (01: ESTABLISHED), queues, timers, uid, timeout, inode.
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((row) => row[2]?.endsWith(remote) && row[3] === '01' && inodes.has(row[9] ?? '')).length;
}
