import 'server-only';
import { hostname } from 'node:os';
import { createTokenBucket, type TokenBucket } from '@/lib/limits/create-token-bucket';
import type { Bus, BusMessage } from './bus';
import { nextVersion } from './next-version';

/**
 * The single-process bus, the default: events go to this process's listeners synchronously, in
 * publish order; nothing is stored (the boards in memory are the state) and there is no lease.
 */
export function createMemoryBus(): Bus {
  const listeners = new Set<(message: BusMessage) => void>();
  const buckets = new Map<string, TokenBucket>();
  return {
    mode: 'memory',
    instance: `${hostname()}-${process.pid}`,
    state: () => 'disabled',
    onState() {},
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async publish(message) {
      for (const listener of listeners) listener(message);
      return true;
    },
    async nextVersion(_city, previous) {
      return nextVersion(previous);
    },
    async load() {
      return null;
    },
    lease() {
      return null;
    },
    async takeToken({ name, perSecond, burst, threshold }) {
      let bucket = buckets.get(name);
      if (!bucket) {
        bucket = createTokenBucket({ perSecond, burst });
        buckets.set(name, bucket);
      }
      const waitMs = bucket.wait(threshold);
      if (waitMs > 0) return { taken: false, waitMs };
      bucket.take();
      return { taken: true, waitMs: 0 };
    },
  };
}
