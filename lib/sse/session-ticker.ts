import 'server-only';
import { env } from '@/lib/env';
import { metrics } from '@/lib/metrics/metrics';
import { shuttingDownSince } from '@/lib/shutdown';
import { singleton } from '@/lib/singleton';
import type { ReconnectNotice, StreamEventName } from '@/lib/types';
import { encodeComment, encodeEvent, encodeRetry } from './encode-event';
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
  // Admitted before the shutdown began but opened after every stream was told to reconnect (its
  // board was still loading): it would hold the server open until the timeout. It goes the same
  // way, once its owner has finished opening it.
  if (shuttingDownSince()) queueMicrotask(() => endSession(session, 'shutdown', spreadDelay(env.sseRetryMs)));
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
  let beats = 0;
  for (const session of ticker.sessions) {
    if (session.openedAt <= expiresBefore) endSession(session, 'max-duration', env.sseRetryMs);
    else {
      session.write(heartbeat);
      beats += 1;
    }
  }
  metrics.bytesSent.inc(beats * heartbeat.byteLength);
}

/**
 * Tells the client why its stream ends and when to come back (a `reconnect` event, then `retry:`),
 * and ends it. EventSource reconnects by itself once a stream ends, after the last `retry:` it saw,
 * and resumes by Last-Event-ID.
 */
function endSession(session: Session, reason: ReconnectNotice['reason'], retryMs: number): void {
  const notice: ReconnectNotice = { reason, retryMs };
  const event: StreamEventName = 'reconnect';
  session.write(encodeEvent({ event, data: JSON.stringify(notice) }));
  session.write(encodeRetry(retryMs));
  session.close(reason);
}

/**
 * Ends every open stream (a deploy or restart), each with a `reconnect` event. Every client gets its
 * own delay, spread over `spreadMs`, so thousands of browsers do not return in the same instant to
 * whichever instance answers; each resumes by Last-Event-ID and misses nothing.
 */
export function closeAllSessions({ spreadMs = env.sseRetryMs }: { spreadMs?: number } = {}): number {
  const sessions = [...ticker.sessions];
  for (const session of sessions) endSession(session, 'shutdown', spreadDelay(spreadMs));
  return sessions.length;
}

/** A delay between a quarter of `spreadMs` and 1.25 times it, at random. */
function spreadDelay(spreadMs: number): number {
  return Math.round(spreadMs / 4 + Math.random() * spreadMs);
}
