import 'server-only';
import { singleton } from '@/lib/singleton';

const state = singleton('shutdown', () => ({ since: null as string | null }));

/**
 * The process is going away (SIGTERM): from now on new streams are refused with 503 and
 * Retry-After, and /api/health answers 503 so load balancers stop sending traffic here.
 */
export function beginShutdown(): void {
  state.since ??= new Date().toISOString();
}

/** Since when the process has been shutting down, or null while it serves. */
export function shuttingDownSince(): string | null {
  return state.since;
}
