import 'server-only';
import { env } from '@/lib/env';
import { singleton } from '@/lib/singleton';
import { encodeComment } from './encode-event';
import type { Session } from './session';

const heartbeat = encodeComment('heartbeat');

interface Ticker {
  sessions: Set<Session>;
  timer: ReturnType<typeof setInterval> | null;
}

const ticker = singleton<Ticker>('sse-ticker', () => ({ sessions: new Set(), timer: null }));

/**
 * Every open stream in the process shares ONE timer: each `SSE_HEARTBEAT_MS` it writes the same
 * pre-encoded comment to every stream (so proxies see traffic) and closes the streams older than
 * `SSE_MAX_DURATION_MS`, which reconnect and resume by Last-Event-ID before a platform would cut them.
 * The timer runs only while a stream is open.
 */
export function trackSession(session: Session): void {
  ticker.sessions.add(session);
  ticker.timer ??= setInterval(tick, env.sseHeartbeatMs);
  ticker.timer.unref?.();
}

export function untrackSession(session: Session): void {
  ticker.sessions.delete(session);
  if (ticker.sessions.size === 0 && ticker.timer) {
    clearInterval(ticker.timer);
    ticker.timer = null;
  }
}

/** Open streams in this process, for health checks and tests. */
export function countSessions(): number {
  return ticker.sessions.size;
}

/** Whether the shared heartbeat timer is running (it must not once every stream has closed). */
export function isTickerRunning(): boolean {
  return ticker.timer !== null;
}

function tick(): void {
  const expiresBefore = env.sseMaxDurationMs > 0 ? Date.now() - env.sseMaxDurationMs : -1;
  for (const session of ticker.sessions) {
    if (session.openedAt <= expiresBefore) session.close('max-duration');
    else session.write(heartbeat);
  }
}

/**
 * Ends every open stream (a deploy or restart): each client's EventSource reconnects after its
 * `retry` delay, to whichever instance answers, and resumes by Last-Event-ID.
 */
export function closeAllSessions(): void {
  for (const session of [...ticker.sessions]) session.close('shutdown');
}
