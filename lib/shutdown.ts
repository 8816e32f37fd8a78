import 'server-only';

const state = globalThis as typeof globalThis & { __nowShowingShutdownSince?: string };

/**
 * The process is going away (SIGTERM): from now on new streams are refused with 503 and
 * Retry-After, and /api/health answers 503 so load balancers stop sending traffic here. Process-wide
 * (on globalThis): every bundle of lib/ in the process must see it.
 */
export function beginShutdown(): void {
  state.__nowShowingShutdownSince ??= new Date().toISOString();
}

/** Since when the process has been shutting down, or null while it serves. */
export function shuttingDownSince(): string | null {
  return state.__nowShowingShutdownSince ?? null;
}
