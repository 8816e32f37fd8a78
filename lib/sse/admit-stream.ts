import 'server-only';
import { env } from '@/lib/env';
import { HttpError } from '@/lib/errors';
import { logThrottled } from '@/lib/log';
import { metrics } from '@/lib/metrics/metrics';
import { shuttingDownSince } from '@/lib/shutdown';
import { singleton } from '@/lib/singleton';

/** A stream's place under the limits, held from admission until the stream ends. */
export interface StreamTicket {
  readonly client: string | null;
  /** Gives the place back; safe to call more than once. */
  release(): void;
}

const held = singleton('stream-admission', () => ({ total: 0, byClient: new Map<string, number>() }));

/**
 * Admits one more stream, or throws the answer that refuses it: 503 while the process shuts down or
 * serves STREAMS_MAX streams already, 429 when the client IP holds STREAMS_PER_IP. Each refusal says
 * why in JSON and when to come back (`Retry-After`, spread so refused clients do not return in step),
 * and is counted. The place is taken at once, before any await, so a burst cannot slip past.
 */
export function admitStream(client: string | null): StreamTicket {
  const refuse = (
    status: number,
    code: string,
    message: string,
    retryAfterS: number,
    headers: Record<string, string> = {},
  ) => {
    metrics.streamsRejected.labels(code).inc();
    logThrottled('info', 'stream-refused', `refused:${code}:${client}`, { reason: code, client });
    const retryAfter = String(retryAfterS + Math.floor(Math.random() * retryAfterS));
    return new HttpError({
      status,
      code,
      message,
      details: { retryAfterSeconds: Number(retryAfter) },
      headers: { 'Retry-After': retryAfter, ...headers },
    });
  };
  if (shuttingDownSince()) {
    // Connection: close, so the client's next try opens a new connection (to another instance, or to
    // this one restarted) instead of coming back on this one. Under `next start` a stream ended at
    // shutdown leaves its connection in keep-alive, where the reconnect lands, and Next waits for
    // every connection to close before it exits.
    throw refuse(503, 'shutting-down', 'This server is restarting; try again in a moment.', 2, {
      Connection: 'close',
    });
  }
  if (env.streamsMax > 0 && held.total >= env.streamsMax) {
    throw refuse(503, 'total-limit', `This server is at its limit of ${env.streamsMax} open streams.`, 10);
  }
  const count = client === null ? 0 : (held.byClient.get(client) ?? 0);
  if (client !== null && env.streamsPerIp > 0 && count >= env.streamsPerIp) {
    throw refuse(
      429,
      'ip-limit',
      `Your address already has ${env.streamsPerIp} open streams; close one and try again.`,
      30,
    );
  }
  held.total += 1;
  if (client !== null) held.byClient.set(client, count + 1);
  let released = false;
  return {
    client,
    release() {
      if (released) return;
      released = true;
      held.total -= 1;
      if (client === null) return;
      const left = (held.byClient.get(client) ?? 1) - 1;
      if (left > 0) held.byClient.set(client, left);
      else held.byClient.delete(client);
    },
  };
}

/** Streams admitted and not yet ended, for health checks and tests. */
export function countAdmitted(): { total: number; clients: number } {
  return { total: held.total, clients: held.byClient.size };
}
