import 'server-only';
import { logThrottled } from '@/lib/log';
import type { Metrics } from '@/lib/metrics/metrics';
import { openCommandConnection } from '@/lib/redis/open-command-connection';
import {
  givePlaceScript,
  renewPlacesScript,
  takePlaceScript,
  WHOLE,
  writePlacesScript,
} from './stream-place-scripts';
import type { StreamPlaces } from './stream-places';

/** The scripts, by the name each is called by on the connection (see `defineCommand` below). */
const scripts = {
  takePlace: takePlaceScript,
  givePlace: givePlaceScript,
  renewPlaces: renewPlacesScript,
  writePlaces: writePlacesScript,
};
type Arg = string | number;

/**
 * The cluster's stream places on Redis. Each instance keeps its places in a hash of its own
 * (client key -> count) under a lease: the hash and the instance's entry in the set of instances
 * expire `leaseMs` after the last renewal (every third of it), so the places of an instance that
 * crashed are free again within `leaseMs`, with nothing to clean. Taking a place sums the client's
 * count over the live instances' hashes and adds one to this instance's, in one script.
 *
 * This process's own count is the truth Redis mirrors: a place taken while Redis was away (let in
 * by the process's own count) is written when Redis is back, and so is every place when Redis lost
 * them (restarted, flushed, or this instance's lease ran out while it was stalled: the hash then
 * lacks its mark). Opening a stream costs one round trip to Redis; holding streams costs one small
 * command per renewal, whatever their number.
 */
export function createRedisStreamPlaces({
  url,
  prefix,
  instance,
  metrics,
  leaseMs = 6_000,
}: {
  url: string;
  prefix: string;
  /** This instance's id in the cluster (the bus's). */
  instance: string;
  /** Counts the streams let in unshared (Redis not asked); none in tests that do not look. */
  metrics?: Pick<Metrics, 'streamsUnshared'>;
  leaseMs?: number;
}): StreamPlaces {
  // One hash tag for every key: a script's keys must share a slot wherever Redis is sharded.
  const instancesKey = `${prefix}{places}:instances`;
  const placesKey = (name: string) => `${prefix}{places}:of:${name}`;
  // A Redis that stops answering holds no stream's admission for more than a second.
  const { redis, opened } = openCommandConnection(url, { connectTimeoutMs: 2_000, commandTimeoutMs: 1_000 });
  // Sent by their SHA (EVALSHA, the text only when Redis does not have it yet): a script's ~1 KB on
  // every stream opened and closed is bandwidth, which a hosted Redis bills.
  for (const [name, lua] of Object.entries(scripts)) redis.defineCommand(name, { lua });
  const call = redis as unknown as Record<
    keyof typeof scripts,
    (keys: number, ...args: Arg[]) => Promise<unknown>
  >;
  /** This process's places per client key: what this instance's hash in Redis must say. */
  const held = new Map<string, number>();
  /** The other instances last seen live, whose hashes a take passes to the script. */
  let others: string[] = [];
  /** Whether Redis may disagree with `held` (a call failed, or Redis lost the hash): write it whole. */
  let stale = false;
  /** Takes sent and not answered: the whole hash is written only when there are none. */
  let taking = 0;
  let closed = false;

  const hold = (key: string, by: number) => {
    const count = (held.get(key) ?? 0) + by;
    if (count > 0) held.set(key, count);
    else held.delete(key);
  };
  const ask = (limit: number, key: string, live: string[]) =>
    call.takePlace(
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
  const unavailable = (during: string, error: unknown) =>
    logThrottled('warn', 'stream-places-unavailable', `stream-places-${during}`, { error: String(error) });

  /**
   * Writes the whole hash from `held`, sent at once (one connection keeps the order of calls): a
   * take on its way meanwhile could be counted twice or not at all, so not while one is; the last
   * take to be answered writes it then.
   */
  const writeWhole = () => {
    if (closed || taking > 0) return;
    stale = false;
    const pairs = [...held].flat();
    call
      .writePlaces(2, instancesKey, placesKey(instance), instance, leaseMs, WHOLE, ...pairs)
      .catch((error: unknown) => {
        stale = true;
        unavailable('write', error);
      });
  };
  // Renewing the lease changes no count: it runs whatever takes are on their way, so that a flood
  // of takes (refused ones renew nothing) cannot let it lapse.
  const renew = async () => {
    if (closed) return;
    try {
      const whole = await call.renewPlaces(2, instancesKey, placesKey(instance), instance, leaseMs, WHOLE);
      if (whole === 0) stale = true;
    } catch (error) {
      stale = true;
      unavailable('renew', error);
    }
    if (stale) writeWhole();
  };
  const timer = setInterval(renew, Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  // A Redis that comes back may be an empty one.
  redis.on('ready', () => {
    stale = true;
  });

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
        metrics?.streamsUnshared.inc();
        unavailable('take', error);
        return true;
      } finally {
        taking -= 1;
        if (stale && taking === 0) writeWhole();
      }
    },
    give(key) {
      hold(key, -1);
      if (closed) return;
      call.givePlace(2, instancesKey, placesKey(instance), instance, leaseMs, key).catch(() => {
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
