// What the bench reads about a server process from outside it: Linux /proc, and the memory probe.
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The memory probe (`memory-probe.cjs`), preloaded through NODE_OPTIONS into the server under test. */
export const PROBE_PATH = fileURLToPath(new URL('memory-probe.cjs', import.meta.url));

/** Resident set size in bytes (VmRSS of /proc/<pid>/status). */
export function readRss(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * CPU time the process has used, in ns: the sum over its threads of /proc/<pid>/task/<tid>/schedstat
 * (ns precision; Node's threads live as long as the process), or utime + stime of /proc/<pid>/stat
 * (10 ms ticks) where schedstat is missing.
 */
export function readCpuNs(pid: number): number {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    if (total > 0) return total;
  } catch {
    // No schedstat: fall back to ticks.
  }
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
  return (Number(fields[11]) + Number(fields[12])) * 10_000_000;
}

/** The process and its descendants, from /proc/<pid>/stat's ppid field. */
function listTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone already.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/**
 * The process of `root`'s tree that listens on `port` (loopback IPv4 or IPv6): `npm start` is a tree
 * (npm → sh → node), and only the server's own figures count. Undefined while nobody listens yet.
 */
export function findListeningPid({ root, port }: { root: number; port: number }): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is "<hex ip>:<hex port>"; state 0A is LISTEN; the inode is column 10.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9]) inodes.add(`socket:[${cols[9]}]`);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of listTree(root)) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return pid;
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  return undefined;
}

export interface MemorySample {
  /** RSS from /proc after the probe's gc(), bytes. */
  rss: number;
  /** JS heap in use after gc(), bytes; NaN when the probe is not loaded (e.g. NODE_OPTIONS overridden). */
  heapUsed: number;
  external: number;
  /** The event loop's delay since the sample before (p99, max), ms; NaN without the probe. */
  eventLoop: { p99Ms: number; maxMs: number };
}

const noLoop = { p99Ms: Number.NaN, maxMs: Number.NaN };

/** Asks the probe in `pid` for a gc() and its heap, then reads RSS. Waits at most `timeoutMs`. */
export async function sampleMemory({
  pid,
  probeDir,
  timeoutMs = 15_000,
}: {
  pid: number;
  probeDir: string;
  timeoutMs?: number;
}): Promise<MemorySample> {
  const file = path.join(probeDir, `${pid}.json`);
  // Without the probe, SIGUSR2 would end the server: then RSS only.
  if (!existsSync(path.join(probeDir, `${pid}.loaded`))) {
    return { rss: readRss(pid), heapUsed: Number.NaN, external: Number.NaN, eventLoop: noLoop };
  }
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const until = Date.now() + timeoutMs;
  while (!existsSync(file) && Date.now() < until) await sleep(20);
  // Let the kernel account for the pages gc() gave back.
  await sleep(200);
  const rss = readRss(pid);
  if (!existsSync(file)) return { rss, heapUsed: Number.NaN, external: Number.NaN, eventLoop: noLoop };
  const usage = JSON.parse(readFileSync(file, 'utf8')) as Omit<MemorySample, 'rss'>;
  return { rss, heapUsed: usage.heapUsed, external: usage.external, eventLoop: usage.eventLoop ?? noLoop };
}
