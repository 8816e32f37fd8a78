import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStreamPlaces } from '@/lib/limits/create-redis-stream-places';
import type { StreamPlaces } from '@/lib/limits/stream-places';
import { createMetrics, type Metrics } from '@/lib/metrics/metrics';
import { type RedisServer, startRedis } from './start-redis';
import { eventually } from './wait-for';

// STREAMS_PER_IP for a whole cluster (lib/limits/create-redis-stream-places.ts) on a private
// redis-server: instances share one count per address, and the places of an instance that dies
// without a word come free within its lease.
const PORT = 4920;
const ADDRESS = '198.51.100.7';

let redis: RedisServer;
let prefixes = 0;
const open: StreamPlaces[] = [];
const children: ChildProcess[] = [];

/** Instances sharing one cluster (one key prefix) per case. */
function cluster(leaseMs = 15_000) {
  const prefix = `places-test-${++prefixes}:`;
  let instances = 0;
  return {
    prefix,
    instance: (metrics?: Metrics) => {
      const places = createRedisStreamPlaces({
        url: redis.url,
        prefix,
        instance: `i${++instances}`,
        leaseMs,
        metrics,
      });
      open.push(places);
      return places;
    },
  };
}

/** Whether `places` is refused a place for ADDRESS under `limit` (a place it is given goes back). */
async function refused(places: StreamPlaces, limit: number): Promise<boolean> {
  if (!(await places.take(ADDRESS, limit))) return true;
  places.give(ADDRESS);
  return false;
}

/** How many of these takes were granted. */
const granted = async (takes: Array<Promise<boolean>>) => (await Promise.all(takes)).filter(Boolean).length;

beforeAll(async () => {
  redis = await startRedis({ port: PORT });
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(open.splice(0).map((places) => places.close()));
});
afterAll(async () => {
  await redis?.stop();
});

describe('createRedisStreamPlaces', () => {
  it('grants an address the limit across instances, however the takes interleave', async () => {
    const { instance } = cluster();
    const [a, b] = [instance(), instance()];
    const takes = Array.from({ length: 45 }, (_, i) => (i % 2 ? a : b).take(ADDRESS, 20));
    expect(await granted(takes)).toBe(20);
    // Another address has its own count.
    expect(await a.take('198.51.100.8', 20)).toBe(true);
  });

  it('gives a place back to the whole cluster', async () => {
    const { instance } = cluster();
    const [a, b] = [instance(), instance()];
    expect(await granted([a.take(ADDRESS, 2), a.take(ADDRESS, 2)])).toBe(2);
    expect(await b.take(ADDRESS, 2)).toBe(false);
    a.give(ADDRESS);
    // a's give travels on a's connection, b's take on b's: either may reach Redis first.
    await eventually('the place given back', () => b.take(ADDRESS, 2));
    expect(await a.take(ADDRESS, 2)).toBe(false);
  });

  it('frees the places of an instance killed without a word within its lease', async () => {
    const leaseMs = 3_000;
    const { prefix, instance } = cluster(leaseMs);
    const child = spawn(
      process.execPath,
      [
        '--conditions=react-server',
        '--import',
        'tsx',
        'test/integration/hold-stream-places.ts',
        redis.url,
        prefix,
        'doomed',
        String(leaseMs),
        ADDRESS,
        '10',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    let printed = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk;
    });
    await eventually(
      'the child to hold its places',
      () => {
        if (child.exitCode !== null) throw new Error(`the child exited with ${child.exitCode}`);
        return printed.includes('held');
      },
      20_000,
    );

    const b = instance();
    expect(await granted(Array.from({ length: 11 }, () => b.take(ADDRESS, 20)))).toBe(10);
    child.kill('SIGKILL');
    await once(child, 'exit');
    // The ten places come back once the dead instance's lease has run out.
    await eventually('a freed place', () => b.take(ADDRESS, 20), leaseMs * 3);
    expect(await granted(Array.from({ length: 12 }, () => b.take(ADDRESS, 20)))).toBe(9);
  });

  it('writes its places anew when Redis lost them', async () => {
    const leaseMs = 2_000;
    const { instance } = cluster(leaseMs);
    const [a, b] = [instance(), instance()];
    expect(await granted([a.take(ADDRESS, 2), a.take(ADDRESS, 2)])).toBe(2);
    await redis.call('FLUSHALL');
    // A take right after makes a's hash anew with that one place: still not the whole of it.
    expect(await a.take('203.0.113.1', 2)).toBe(true);
    // Until a's next renewal Redis knows none of its places for ADDRESS; then it knows both again.
    await eventually("a's places written again", () => refused(b, 2), leaseMs * 3);
  });

  it('lets a stream in on its own count while Redis is away, and counts it once Redis is back', async () => {
    const leaseMs = 2_000;
    const { instance } = cluster(leaseMs);
    const metrics = createMetrics();
    const [a, b] = [instance(metrics), instance()];
    expect(await a.take(ADDRESS, 1)).toBe(true);
    await redis.stop();
    // Redis away: the place is the process's own (the admission applies the limit per process then),
    // and counted as such for the operator.
    expect(await a.take(ADDRESS, 1)).toBe(true);
    expect((await metrics.streamsUnshared.get()).values[0]?.value).toBe(1);
    await redis.start();
    // Back, and empty: a writes both places; b sees the address full.
    await eventually("a's places written once Redis is back", () => refused(b, 2));
    a.give(ADDRESS);
    a.give(ADDRESS);
    await eventually('the places given back', async () => !(await refused(b, 2)));
  });

  it('keeps its lease through a flood of refused takes', async () => {
    const leaseMs = 2_000;
    const { instance } = cluster(leaseMs);
    const [a, b] = [instance(), instance()];
    expect(await granted([a.take(ADDRESS, 2), a.take(ADDRESS, 2)])).toBe(2);
    // One address at its limit keeps asking a for more, for a lease and a half without a pause.
    const until = Date.now() + leaseMs * 1.5;
    let asked = 0;
    while (Date.now() < until) {
      expect(await a.take(ADDRESS, 2)).toBe(false);
      asked += 1;
    }
    expect(asked).toBeGreaterThan(100);
    // a's places still count for the cluster.
    expect(await refused(b, 2)).toBe(true);
  });

  it('drops garbage in its keys rather than refusing or letting in every stream', async () => {
    const leaseMs = 2_000;
    const { prefix, instance } = cluster(leaseMs);
    const [a, b] = [instance(), instance()];
    expect(await granted([a.take(ADDRESS, 2), b.take(ADDRESS, 2)])).toBe(2);
    // The set of instances becomes a string, b's count of ADDRESS a word, and a's hash a list.
    await redis.call('SET', `${prefix}{places}:instances`, 'garbage');
    await redis.call('HSET', `${prefix}{places}:of:i2`, ADDRESS, 'many');
    await redis.call('DEL', `${prefix}{places}:of:i1`);
    await redis.call('RPUSH', `${prefix}{places}:of:i1`, 'garbage');
    const metrics = createMetrics();
    const c = instance(metrics);
    // Until the renewals write a's and b's places again, they count as none; then they count again.
    expect(await c.take('203.0.113.9', 2)).toBe(true);
    await eventually('the garbage replaced by the places it hid', () => refused(c, 2), leaseMs * 3);
    expect((await metrics.streamsUnshared.get()).values[0]?.value).toBe(0);
  });

  it('gives every place back at once when it closes', async () => {
    const { instance } = cluster();
    const [a, b] = [instance(), instance()];
    expect(await granted([a.take(ADDRESS, 2), a.take(ADDRESS, 2)])).toBe(2);
    await a.close();
    expect(await granted([b.take(ADDRESS, 2), b.take(ADDRESS, 2), b.take(ADDRESS, 2)])).toBe(2);
  });
});
