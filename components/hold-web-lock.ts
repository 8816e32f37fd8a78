/**
 * Asks for the Web Lock `name` and holds it from when it is granted (`onHeld`) until the returned
 * function is called. Requests for one name wait in line across every tab of the origin, and the
 * browser releases a lock when its tab closes, crashes or is discarded, so the next tab in line is
 * granted it at once: that is the election, with no timers. Leaving while still in line withdraws
 * the request. https://w3c.github.io/web-locks/#api-lock-manager-request
 */
export function holdWebLock({ name, onHeld }: { name: string; onHeld: () => void }): () => void {
  const controller = new AbortController();
  let release: (() => void) | undefined;
  let left = false;
  navigator.locks
    .request(name, { signal: controller.signal }, () => {
      if (left) return undefined;
      onHeld();
      // The lock is held until this promise settles.
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    })
    // AbortError: we left before our turn came.
    .catch(() => undefined);
  return () => {
    left = true;
    controller.abort();
    release?.();
  };
}
