import 'server-only';

const store = globalThis as typeof globalThis & { __nowShowing?: Map<string, unknown> };

/**
 * One instance per process, whoever asks. Next bundles each route separately and `next dev`
 * re-evaluates modules on every edit, so module-level state alone could exist twice: the page and the
 * stream route would then poll Douban separately. globalThis is the one place they all share.
 */
export function singleton<T>(key: string, create: () => T): T {
  store.__nowShowing ??= new Map();
  if (!store.__nowShowing.has(key)) store.__nowShowing.set(key, create());
  return store.__nowShowing.get(key) as T;
}
