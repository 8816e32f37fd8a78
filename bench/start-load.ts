// The parent's side of the load process: fork `bench/load.ts` and talk to it over IPC.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LoadCommand, LoadMessage, LoadProgress, LoadReport } from './load-protocol';

export interface Load {
  send(command: LoadCommand): void;
  progress(): Promise<LoadProgress>;
  report(): Promise<LoadReport>;
  close(): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

export async function startLoad(): Promise<Load> {
  const child = fork(fileURLToPath(new URL('load.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    // NaN (a client that never got an event) survives the structured clone, not JSON.
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const waiters = new Map<LoadMessage['type'], Array<(message: LoadMessage) => void>>();
  child.on('message', (message: LoadMessage) => {
    const queue = waiters.get(message.type);
    queue?.shift()?.(message);
  });
  const ask = <T extends LoadMessage>(type: T['type'], command?: LoadCommand, timeoutMs = 60_000) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the load process did not answer ${type}`)), timeoutMs);
      const queue = waiters.get(type) ?? [];
      queue.push((message) => {
        clearTimeout(timer);
        resolve(message as T);
      });
      waiters.set(type, queue);
      if (command) child.send(command);
    });
  const exited = once(child, 'exit');
  await Promise.race([
    ask('ready'),
    exited.then(() => {
      throw new Error('the load process exited before it was ready');
    }),
  ]);
  return {
    send: (command) => child.send(command),
    progress: () => ask<LoadProgress>('progress', { type: 'progress' }),
    report: () => ask<LoadReport>('report', { type: 'report' }),
    close: async () => {
      await ask('closed', { type: 'close' });
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** For the bench's `exit` handler. */
export function killLoadsNow(): void {
  for (const child of live) child.kill('SIGKILL');
}
