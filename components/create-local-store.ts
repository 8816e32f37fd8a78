import type * as z from 'zod/mini';

/** Fired in the tab that wrote a key: the `storage` event reaches only the other tabs. */
const WRITTEN = 'now-showing:local-write';

export interface LocalStore<T> {
  /** The stored value, or `empty` when there is none, it does not parse or storage is off. */
  read(): T;
  /** Stores `value` (dropped silently when storage is full or off: the viewer loses a mark, not the page). */
  write(value: T): void;
  /** Calls `onChange` when any tab writes the key. For `useSyncExternalStore`. */
  subscribe(onChange: () => void): () => void;
  /** `read()`, the same object while the stored text is the same. For `useSyncExternalStore`. */
  getSnapshot(): T;
  /** What the server renders: nothing stored. */
  getServerSnapshot(): T;
}

/** The value stored as `raw` if it parses and fits `schema`; null otherwise (a corrupt value is ignored). */
export function parseStored<T>({ raw, schema }: { raw: string | null; schema: z.ZodMiniType<T> }): T | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function readRaw(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    // Storage blocked (a privacy setting): as if nothing were stored.
    return null;
  }
}

/**
 * One value the viewer keeps in this browser's localStorage under `key` (versioned: a new shape gets
 * a new key, and the old one is simply not read), checked with `schema` every time it is read back:
 * another version of the app, another tab or the viewer may have written anything there.
 */
export function createLocalStore<T>({
  key,
  schema,
  empty,
}: {
  key: string;
  schema: z.ZodMiniType<T>;
  empty: T;
}): LocalStore<T> {
  let cached: { raw: string | null; value: T } = { raw: null, value: empty };
  const read = () => {
    const raw = readRaw(key);
    if (raw !== cached.raw) cached = { raw, value: parseStored({ raw, schema }) ?? empty };
    return cached.value;
  };
  return {
    read,
    write(value) {
      try {
        localStorage.setItem(key, JSON.stringify(value));
      } catch {
        return;
      }
      window.dispatchEvent(new CustomEvent(WRITTEN, { detail: key }));
    },
    subscribe(onChange) {
      const onStorage = (event: StorageEvent) => {
        if (event.key === key || event.key === null) onChange();
      };
      const onWritten = (event: Event) => {
        if ((event as CustomEvent<string>).detail === key) onChange();
      };
      window.addEventListener('storage', onStorage);
      window.addEventListener(WRITTEN, onWritten);
      return () => {
        window.removeEventListener('storage', onStorage);
        window.removeEventListener(WRITTEN, onWritten);
      };
    },
    getSnapshot: read,
    getServerSnapshot: () => empty,
  };
}
