// One measurement: one target, N clients, K upstream changes, then churn. See bench/README.md.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createParser } from 'eventsource-parser';
import type { FakeDouban } from '../scripts/fake-douban/start-fake-douban';
import type { LoadProgress } from './load-protocol';
import { type MemorySample, readCpuNs, sampleMemory } from './read-process';
import { startLoad } from './start-load';
import { startTarget, type TargetName } from './start-target';
import { type Spread, spreadOf } from './stats';

export interface MeasureOptions {
  target: TargetName;
  /** The text of the script that starts the app. */
  appScript: string;
  n: number;
  changes: number;
  /** New connections per second (0: all at once). */
  rate: number;
  churn: number;
  city: string;
  /** The movie whose score changes. */
  movieId: string;
  port: number;
  fake: FakeDouban;
  /** Environment of both targets (poll interval, heartbeat...). */
  env: Record<string, string>;
  probeDir: string;
  log: (line: string) => void;
}

export interface ChangeResult {
  score: number;
  /** ms since the epoch: the change at the fake; the first page request after it; the last receipt. */
  changedAt: number;
  servedAt: number | null;
  lastReceivedAt: number | null;
  delivered: number;
  latencyMs: Spread;
  /** Server CPU from the sample before `servedAt` to the one after the last receipt, and that window. */
  cpuNs: number;
  cpuWindowMs: number;
}

export interface TargetResult {
  target: TargetName;
  n: number;
  command: string;
  connected: number;
  snapshots: number;
  failed: number;
  errors: string[];
  /** Server's own count of open streams once every client had its snapshot. */
  serverStreams: number | null;
  /** From each client's request to its whole snapshot. */
  connectToSnapshotMs: Spread;
  /** From the first request to the last snapshot. */
  stormMs: number;
  expectedDeliveries: number;
  delivered: number;
  missed: number;
  /** From the fake serving the changed page to each client's receipt of the update, all changes. */
  latencyMs: Spread;
  changes: ChangeResult[];
  memory: { idle: MemorySample; open: MemorySample; rssPerStream: number; heapPerStream: number };
  cpu: {
    /** The server's CPU while N streams are open and nothing changes (polls only), ns per ms. */
    idleNsPerMs: number;
    msPerBroadcast: number;
    usPerStreamPerBroadcast: number;
  };
  /**
   * The server's event-loop delay with N streams open: while only polls run (fetch, parse, diff of
   * an unchanged page), and over the broadcasts (each fan-out to N streams holds the loop).
   */
  eventLoop: { polls: MemorySample['eventLoop']; broadcasts: MemorySample['eventLoop'] };
  churn: {
    cycles: Array<{ snapshots: number; failed: number; errors: string[]; streamsAfter: number | null }>;
    before: MemorySample;
    after: MemorySample | null;
    streamsAfter: number | null;
  };
  bytes: { snapshot: number; update: number };
  unexpectedUpdates: number;
  extraSnapshots: number;
}

const now = () => performance.timeOrigin + performance.now();

/** [ms since the epoch, the server's CPU ns so far]. */
type CpuSample = [number, number];

/**
 * The server's CPU time during one broadcast: from the last sample at or before the fake served the
 * changed page to the first sample at or after the last client read the update. That takes in the
 * fetch, parse, diff and encoding of the change (once per broadcast) and the writes to every stream,
 * and leaves out the idle wait for the poll. NaN when the change was not served or not delivered.
 */
function cpuBetween(
  samples: CpuSample[],
  from: number | null,
  to: number | null,
): { cpuNs: number; cpuWindowMs: number } {
  const start = from === null ? undefined : samples.findLast(([at]) => at <= from);
  const end = to === null ? undefined : samples.find(([at]) => at >= to);
  if (!start || !end) return { cpuNs: Number.NaN, cpuWindowMs: Number.NaN };
  return { cpuNs: end[1] - start[1], cpuWindowMs: end[0] - start[0] };
}

/** Polls `read` until `done` holds; throws with `what` after `timeoutMs`. Returns the last value. */
async function waitFor<T>({
  read,
  done,
  timeoutMs,
  what,
  everyMs = 50,
}: {
  read: () => Promise<T>;
  done: (value: T) => boolean;
  timeoutMs: number;
  what: (value: T | undefined) => string;
  everyMs?: number;
}): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value: T | undefined;
  for (;;) {
    value = await read();
    if (done(value)) return value;
    if (Date.now() > until)
      throw new TimeoutError(`timed out after ${timeoutMs} ms waiting for ${what(value)}`);
    await sleep(everyMs);
  }
}

class TimeoutError extends Error {}

async function readStreams(url: string): Promise<number | null> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) });
    return ((await res.json()) as { streams?: number }).streams ?? null;
  } catch {
    return null;
  }
}

/** One client until the board is live (a snapshot fetched from Douban, not saved data), then it leaves. */
function warmUp({ url, timeoutMs }: { url: string; timeoutMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const parser = createParser({
      onEvent: ({ event, data }) => {
        if (event === 'snapshot' && (JSON.parse(data) as { source?: string }).source === 'douban') finish();
      },
    });
    const req = request(url, { agent: false, headers: { Accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
    });
    const timer = setTimeout(() => finish(new Error(`no live snapshot within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      req.destroy();
      if (error) reject(error);
      else resolve();
    };
    req.on('error', (error) => finish(error));
    req.end();
  });
}

/** Starts the target, measures it and stops it, whatever happens. */
export async function measureTarget(options: MeasureOptions): Promise<TargetResult> {
  const {
    target: name,
    appScript,
    n,
    changes,
    rate,
    churn,
    city,
    movieId,
    port,
    fake,
    env,
    probeDir,
    log,
  } = options;
  const pollMs = Number(env.POLL_INTERVAL_MS);
  fake.reset();
  const target = await startTarget({ name, appScript, port, env, probeDir });
  const load = await startLoad().catch(async (error) => {
    await target.stop();
    throw error;
  });
  try {
    const { pid, url } = target;
    const streamUrl = `${url}/api/movies/stream?city=${city}`;
    log(`${name} N=${n}: serving (pid ${pid}), warming up ${city}`);
    await warmUp({ url: streamUrl, timeoutMs: 60_000 });
    await waitFor({
      read: () => readStreams(url),
      done: (streams) => streams === 0,
      timeoutMs: 30_000,
      what: (streams) => `the warm-up stream to close (streams: ${streams})`,
    });
    await sleep(1_000);
    const idle = await sampleMemory({ pid, probeDir });

    // The connect storm.
    const storm = async (): Promise<LoadProgress> => {
      load.send({ type: 'open', url: streamUrl, n, rate });
      const openMs = rate > 0 ? (n / rate) * 1000 : n * 5;
      try {
        return await waitFor({
          read: () => load.progress(),
          done: (p) => p.snapshots + p.failed >= n,
          timeoutMs: openMs + 60_000,
          everyMs: 100,
          what: (p) => `${n} snapshots (${p?.snapshots} so far, ${p?.failed} failed)`,
        });
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
        log(`${name} N=${n}: ${error.message}`);
        return load.progress();
      }
    };
    log(`${name} N=${n}: opening ${n} clients${rate > 0 ? ` at ${rate}/s` : ''}`);
    const opened = await storm();
    const serverStreams = await readStreams(url);
    log(
      `${name} N=${n}: ${opened.snapshots} snapshots, ${opened.failed} failed, server streams ${serverStreams}`,
    );
    await sleep(2_000);
    const open = await sampleMemory({ pid, probeDir });
    const idleCpu0 = readCpuNs(pid);
    const idleT0 = now();
    await sleep(3_000);
    const idleNsPerMs = (readCpuNs(pid) - idleCpu0) / (now() - idleT0);
    // The loop's delay over that window, when only polls ran.
    const pollsLoop = (await sampleMemory({ pid, probeDir })).eventLoop;

    // The broadcasts, one at a time.
    const changeResults: Array<{ score: number; changedAt: number; servedAt: number | null }> = [];
    const cpuSamples: CpuSample[][] = [];
    for (let index = 0; index < changes; index++) {
      const score = (21 + index) / 10;
      load.send({
        type: 'expect',
        index,
        needles: [`"id":"${movieId}"`, `"score":${JSON.stringify(score)},`],
      });
      await load.progress(); // the load process has read `expect` once it answers
      const logBefore = fake.requestLog().length;
      // The server's CPU time every 20 ms, to cut the broadcast's window out afterwards.
      const samples: CpuSample[] = [[now(), readCpuNs(pid)]];
      const sampler = setInterval(() => samples.push([now(), readCpuNs(pid)]), 20);
      cpuSamples.push(samples);
      const changedAt = now();
      fake.setScore({ city, id: movieId, score });
      try {
        await waitFor({
          read: () => load.progress(),
          done: (p) => (p.updates[index] ?? 0) >= n - p.failed,
          timeoutMs: 30_000 + n * 2,
          what: (p) => `update ${index + 1} at ${n - (p?.failed ?? 0)} clients (${p?.updates[index]} so far)`,
        });
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
        log(`${name} N=${n}: ${error.message}`);
      } finally {
        clearInterval(sampler);
        samples.push([now(), readCpuNs(pid)]);
      }
      const servedAt =
        fake
          .requestLog()
          .slice(logBefore)
          .find((entry) => entry.city === city)?.at ?? null;
      changeResults.push({ score, changedAt, servedAt });
      await sleep(200);
    }

    const broadcastsLoop = (await sampleMemory({ pid, probeDir })).eventLoop;
    const report = await load.report();
    const { times } = report;
    const connected = times.connected.filter(Number.isFinite).length;
    const snapshots = times.snapshot.filter(Number.isFinite).length;
    const firstRequest = Math.min(...times.requested.filter(Number.isFinite));
    const lastSnapshot = Math.max(...times.snapshot.filter(Number.isFinite));
    const allLatencies: number[] = [];
    const changeSummaries: ChangeResult[] = changeResults.map((change, index) => {
      const received = (times.updates[index] ?? []).filter(Number.isFinite);
      const latencies =
        change.servedAt === null ? [] : received.map((at) => at - (change.servedAt as number));
      allLatencies.push(...latencies);
      const lastReceivedAt = received.length ? Math.max(...received) : null;
      const cpu = cpuBetween(cpuSamples[index] ?? [], change.servedAt, lastReceivedAt);
      return {
        ...change,
        lastReceivedAt,
        delivered: received.length,
        latencyMs: spreadOf(latencies),
        ...cpu,
      };
    });
    const delivered = changeSummaries.reduce((sum, change) => sum + change.delivered, 0);
    const msPerBroadcast =
      changeSummaries.reduce((sum, change) => sum + change.cpuNs, 0) / 1e6 / Math.max(1, changes);
    log(`${name} N=${n}: ${delivered} of ${n * changes} updates delivered; clients leave`);
    await load.close();
    const drained = async () =>
      waitFor({
        read: () => readStreams(url),
        done: (streams) => streams === 0,
        timeoutMs: 30_000 + n * 2,
        what: (streams) => `every stream to close (streams: ${streams})`,
      }).catch((error) => {
        log(`${name} N=${n}: ${error.message}`);
        return null;
      });
    await drained();

    // Churn: connect and leave, `churn` times over, then see what the server kept.
    const cycles: TargetResult['churn']['cycles'] = [];
    for (let cycle = 1; cycle <= churn; cycle++) {
      const progress = await storm();
      await load.close();
      const streamsAfter = await drained();
      cycles.push({
        snapshots: progress.snapshots,
        failed: progress.failed,
        errors: progress.errors,
        streamsAfter,
      });
      log(
        `${name} N=${n}: churn ${cycle}/${churn}: ${progress.snapshots} snapshots, streams after ${streamsAfter}`,
      );
    }
    await sleep(1_000);
    const after = churn > 0 ? await sampleMemory({ pid, probeDir }) : null;

    return {
      target: name,
      n,
      command: target.command,
      connected,
      snapshots,
      failed: report.failed,
      errors: report.errors,
      serverStreams,
      connectToSnapshotMs: spreadOf(times.snapshot.map((at, i) => at - (times.requested[i] as number))),
      stormMs: lastSnapshot - firstRequest,
      expectedDeliveries: n * changes,
      delivered,
      missed: n * changes - delivered,
      latencyMs: spreadOf(allLatencies),
      changes: changeSummaries,
      memory: {
        idle,
        open,
        rssPerStream: (open.rss - idle.rss) / n,
        heapPerStream: (open.heapUsed - idle.heapUsed) / n,
      },
      eventLoop: { polls: pollsLoop, broadcasts: broadcastsLoop },
      cpu: {
        idleNsPerMs,
        msPerBroadcast,
        // Less what a poll that finds no change costs (fetch, parse, diff: the idle rate over one interval).
        usPerStreamPerBroadcast: Math.max(0, msPerBroadcast * 1000 - (idleNsPerMs * pollMs) / 1000) / n,
      },
      churn: { cycles, before: idle, after, streamsAfter: await readStreams(url) },
      bytes: { snapshot: report.snapshotBytes, update: report.updateBytes[0] ?? 0 },
      unexpectedUpdates: report.unexpectedUpdates,
      extraSnapshots: report.extraSnapshots,
    };
  } finally {
    await load.stop();
    await target.stop();
  }
}
