import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { withTimeout } from './start-app';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`: use it as `REDIS_URL`. */
  url: string;
  /** Everything the server printed since the first start, for failure reports. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty, like a restarted cache. */
  start(): Promise<void>;
  /** PUBLISH through a short-lived client; resolves with how many subscribers received it. */
  publish(channel: string, message: string): Promise<number>;
  /** Any other command through a short-lived client, e.g. `call('SET', key, value)`. */
  call(command: string, ...args: Array<string | number>): Promise<unknown>;
}

const READY = /Ready to accept connections/;

/**
 * Runs a private `redis-server` on 127.0.0.1:`port` in the foreground, as a child of the test
 * process (not daemonized, so the test owns it and nothing outlives the run), without persistence,
 * and resolves once it accepts connections. Debian's `redis-server` package installs the binary
 * without starting a server in a container, which is what the test command relies on.
 */
export async function startRedis({ port }: { port: number }): Promise<RedisServer> {
  const url = `redis://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  // A crashed test runner must not leave a server behind on the port.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async (): Promise<void> => {
    if (child && isRunning(child)) throw new Error(`redis-server on port ${port} is already running`);
    // No persistence is configured, but a working directory of its own keeps any file out of the repo.
    dir = await mkdtemp(path.join(tmpdir(), 'now-showing-redis-'));
    const server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = server;
    let printed = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (data: Buffer) => {
        printed += data.toString();
        output += data.toString();
        if (READY.test(printed)) resolve();
      };
      server.stdout?.on('data', onData);
      server.stderr?.on('data', onData);
      server.once('error', reject);
      server.once('exit', (code, signal) =>
        reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${printed}`)),
      );
    });
    try {
      await withTimeout(ready, 10_000, () => `redis-server did not start on port ${port}:\n${printed}`);
    } catch (error) {
      await stop();
      throw error;
    }
  };

  const stop = async (): Promise<void> => {
    const server = child;
    if (server && isRunning(server)) {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  };

  const call = async (command: string, ...args: Array<string | number>): Promise<unknown> => {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: 2_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // Errors reach the awaited calls below; without a listener ioredis would also log them.
    client.on('error', () => {});
    try {
      return await withTimeout(
        (async () => {
          await client.connect();
          return client.call(command, ...args);
        })(),
        5_000,
        () => `${command} on ${url} did not answer within 5 s`,
      );
    } finally {
      client.disconnect();
    }
  };

  await start();
  return {
    url,
    output: () => output,
    start,
    stop,
    publish: async (channel, message) => Number(await call('PUBLISH', channel, message)),
    call,
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
