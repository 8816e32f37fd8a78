import 'server-only';
import { singleton } from '@/lib/singleton';

const state = singleton('shutdown', () => ({
  since: null as string | null,
  /** Who answers SIGTERM in this process: the production server, or instrumentation.ts under `next start`. */
  owner: null as 'server' | 'next' | null,
}));

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

/**
 * Claims the SIGTERM handling of the process; false if another part already has it. The production
 * server claims it before Next starts, so Next's instrumentation hook, which also runs there, leaves
 * it alone rather than shutting down twice.
 */
export function claimShutdown(owner: 'server' | 'next'): boolean {
  if (state.owner && state.owner !== owner) return false;
  state.owner = owner;
  return true;
}
