import 'server-only';
import Redis from 'ioredis';
import { logEvent, logThrottled } from '@/lib/log';
import {
  givePlaceScript,
  renewPlacesScript,
  takePlaceScript,
  writePlacesScript,
} from './stream-place-scripts';
import type { StreamPlaces } from './stream-places';

/**
 * The cluster's stream places on Redis. Each instance keeps its places in a hash of its own
 * (client key -> count) under a lease: the hash and the instance's entry in the set of instances
 * expire `leaseMs` after the last renewal (every third of it), so the places of an instance that
 * crashed are free again within `leaseMs`, with nothing to clean. Taking a place sums the client's
 * count over the live instances' hashes and adds one to this instance's, in one script.
 *
 * This process's own count is the truth Redis mirrors: a place taken while Redis was away (let in
 * by the process's own count) is written when Redis is back, and so is every place when Redis lost
 * them (restarted, flushed, or this instance's lease ran out while it was stalled). Opening a
 * stream costs one round trip to Redis; holding streams costs one small command per renewal,
 * whatever their number.
 */
export function createRedisStreamPlaces({
  url,
  prefix,
  instance,
  leaseMs = 15_000,
}: {
  url: string;
  prefix: string;
  /** This instance's id in the cluster (the bus's). */
  instance: string;
  leaseMs?: number;
}): StreamPlaces {
  // One hash tag for every key, so the scripts may touch them together even on a Redis Cluster.
  const instancesKey = `${prefix}{places}:instances`;
  const placesKey = (name: string) => `${prefix}{places}:of:${name}`;
  // As the bus's command connection: calls fail at once while Redis is away, and a Redis that stops
  // answering hangs no stream's admission for more than a second.
  const redis = new Redis(url, {
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    retryStrategy: (times) =>
      Math.round(Math.min(100 * 2 ** Math.min(times, 6), 5_000) * (0.5 + Math.random() / 2)),
  });
  redis.on('error', (error: Error) => logEvent('debug', 'redis-error', { error: error.message }));
  // The first streams may come while the connection is still being opened: they wait for it, a while.
  const opened = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    timer.unref();
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });

  /** This process's places per client key: what this instance's hash in Redis must say. */
  const held = new Map<string, number>();
  /** The other instances last seen live, whose hashes a take passes to the script. */
  let others: string[] = [];
  /** Whether Redis may disagree with `held` (a call failed): written anew at the next renewal. */
  let stale = false;
  let taking = 0;
  let closed = false;

  const hold = (key: string, by: number) => {
    const count = (held.get(key) ?? 0) + by;
    if (count > 0) held.set(key, count);
    else held.delete(key);
  };
  const ask = (limit: number, key: string, live: string[]) =>
    redis.eval(
      takePlaceScript,
      2 + live.length,
      instancesKey,
      placesKey(instance),
      ...live.map(placesKey),
      instance,
      leaseMs,
      key,
      limit,
      ...live,
    ) as Promise<Array<number | string>>;

  const write = async () => {
    const pairs = [...held].flat();
    stale = false;
    await redis.eval(writePlacesScript, 2, instancesKey, placesKey(instance), instance, leaseMs, ...pairs);
  };
  const renew = async () => {
    // A write while a take is on its way could count its place twice or not at all: next time.
    if (closed || taking > 0) return;
    try {
      if (stale) await write();
      else {
        const kept = await redis.eval(
          renewPlacesScript,
          2,
          instancesKey,
          placesKey(instance),
          instance,
          leaseMs,
        );
        if (kept === 0 && held.size > 0) await write();
      }
    } catch (error) {
      stale = true;
      logThrottled('warn', 'stream-places-unavailable', 'stream-places-renew', { error: String(error) });
    }
  };
  const timer = setInterval(renew, Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();

  return {
    async take(key, limit) {
      // Counted here first: the process's own count must include a place on its way, so that a
      // write of the whole hash meanwhile (deferred while takes are out) is never short of it.
      hold(key, 1);
      taking += 1;
      try {
        await opened;
        // Twice at most: the second ask carries the instances the first one learned of.
        for (let attempt = 0; attempt < 2; attempt += 1) {
          const [answer, ...live] = await ask(limit, key, others);
          others = live.map(String).filter((name) => name !== instance);
          if (answer === 1) return true;
          if (answer === 0) {
            hold(key, -1);
            return false;
          }
        }
        throw new Error('instances kept changing');
      } catch (error) {
        // Let in by the process's own count (the caller's), and written to Redis when it is back.
        stale = true;
        logThrottled('warn', 'stream-places-unavailable', 'stream-places-take', { error: String(error) });
        return true;
      } finally {
        taking -= 1;
      }
    },
    give(key) {
      hold(key, -1);
      if (closed) return;
      redis.eval(givePlaceScript, 2, instancesKey, placesKey(instance), instance, leaseMs, key).catch(() => {
        stale = true;
      });
    },
    async close() {
      closed = true;
      clearInterval(timer);
      try {
        await redis.multi().del(placesKey(instance)).zrem(instancesKey, instance).exec();
      } catch {
        // Gone with the lease anyway.
      }
      redis.disconnect();
    },
  };
}
