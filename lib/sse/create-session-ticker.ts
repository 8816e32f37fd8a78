import 'server-only';
import type { Metrics } from '@/lib/metrics/metrics';
import type { ReconnectNotice, StreamEventName } from '@/lib/types';
import { encodeComment, encodeEvent, encodeRetry } from './encode-event';
import type { Session } from './session';

const heartbeat = encodeComment('heartbeat');

/** What the ticker needs of a stream. */
type TickedSession = Pick<Session, 'openedAt' | 'write' | 'close'>;

/** Every open stream of the process, and the one timer they share. */
export interface SessionTicker {
  track(session: TickedSession): void;
  untrack(session: TickedSession): void;
  /** Open streams in this process, for health checks and tests. */
  count(): number;
  /** Whether the shared timer runs (it must not once every stream has closed). */
  running(): boolean;
  /**
   * Ends every open stream (a deploy or restart), each with a `reconnect` event. Every client gets
   * its own delay, spread over `spreadMs` (default `retryMs`), so thousands of browsers do not return
   * in the same instant to whichever instance answers; each resumes by Last-Event-ID.
   */
  closeAll(options?: { spreadMs?: number }): number;
}

/**
 * Every open stream in the process shares ONE timer: each `heartbeatMs` it writes the same
 * pre-encoded comment to every stream (so proxies see traffic) and closes the streams older than
 * `maxDurationMs` (0: never), which reconnect and resume by Last-Event-ID before a platform would cut
 * them. The timer runs only while a stream is open.
 */
export function createSessionTicker({
  heartbeatMs,
  maxDurationMs,
  retryMs,
  metrics,
  shuttingDown,
}: {
  heartbeatMs: number;
  maxDurationMs: number;
  /** The `retry:` clients get; the spread of reconnects at shutdown. */
  retryMs: number;
  metrics: Metrics;
  shuttingDown: () => boolean;
}): SessionTicker {
  const sessions = new Set<TickedSession>();
  let timer: ReturnType<typeof setInterval> | null = null;

  const tick = () => {
    const expiresBefore = maxDurationMs > 0 ? Date.now() - maxDurationMs : -1;
    let beats = 0;
    for (const session of sessions) {
      if (session.openedAt <= expiresBefore) endSession(session, 'max-duration', retryMs);
      else {
        session.write(heartbeat);
        beats += 1;
      }
    }
    metrics.bytesSent.inc(beats * heartbeat.byteLength);
  };

  return {
    track(session) {
      sessions.add(session);
      timer ??= setInterval(tick, heartbeatMs);
      timer.unref?.();
      // Admitted before the shutdown began but opened after every stream was told to reconnect (its
      // board was still loading): it would hold the server open until the timeout. It goes the same
      // way, once its owner has finished opening it.
      if (shuttingDown()) queueMicrotask(() => endSession(session, 'shutdown', spreadDelay(retryMs)));
    },
    untrack(session) {
      sessions.delete(session);
      if (sessions.size === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    },
    count: () => sessions.size,
    running: () => timer !== null,
    closeAll({ spreadMs = retryMs } = {}) {
      const open = [...sessions];
      for (const session of open) endSession(session, 'shutdown', spreadDelay(spreadMs));
      return open.length;
    },
  };
}

/**
 * Tells the client why its stream ends and when to come back (a `reconnect` event, then `retry:`),
 * and ends it. EventSource reconnects by itself once a stream ends, after the last `retry:` it saw,
 * and resumes by Last-Event-ID.
 */
function endSession(session: TickedSession, reason: ReconnectNotice['reason'], retryMs: number): void {
  const notice: ReconnectNotice = { reason, retryMs };
  const event: StreamEventName = 'reconnect';
  session.write(encodeEvent({ event, data: JSON.stringify(notice) }));
  session.write(encodeRetry(retryMs));
  session.close(reason);
}

/** A delay between a quarter of `spreadMs` and 1.25 times it, at random. */
function spreadDelay(spreadMs: number): number {
  return Math.round(spreadMs / 4 + Math.random() * spreadMs);
}
