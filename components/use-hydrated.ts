import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False on the server and while the page hydrates, true once the browser runs the page: what only
 * JavaScript can do (read the viewer's marks, update the URL as controls change) switches on then,
 * without a mismatch with the server's HTML.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
