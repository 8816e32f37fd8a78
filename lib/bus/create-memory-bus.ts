import 'server-only';
import type { BoardMessage, Bus } from './bus';

/** The single-process bus: a listener set per city, called synchronously in publish order. */
export function createMemoryBus(): Bus {
  const listeners = new Map<string, Set<(message: BoardMessage) => void>>();
  return {
    publish(message) {
      for (const listener of listeners.get(message.city) ?? []) listener(message);
    },
    subscribe(city, listener) {
      let set = listeners.get(city);
      if (!set) {
        set = new Set();
        listeners.set(city, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(city) === set) listeners.delete(city);
      };
    },
  };
}
