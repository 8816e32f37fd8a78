import 'server-only';
import { hostname } from 'node:os';
import type { Bus, BusMessage } from './bus';
import { nextVersion } from './next-version';

/**
 * The single-process bus, the default: events go to this process's listeners synchronously, in
 * publish order; nothing is stored (the boards in memory are the state) and there is no lease.
 */
export function createMemoryBus(): Bus {
  const listeners = new Set<(message: BusMessage) => void>();
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
  };
}
