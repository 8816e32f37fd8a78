import 'server-only';
import { isIP } from 'node:net';
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
 *
 * Clients are counted by address, except that an IPv6 address counts for its /64 (one host usually
 * holds a whole /64 and could otherwise open STREAMS_PER_IP streams from each of its addresses), and
 * every client whose address could not be read (`null`) shares one count: an unreadable
 * `X-Forwarded-For` must not lift the limit. 0 turns either limit off.
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
    // One line per reason, not per client: a flood from many addresses must not flood the log.
    logThrottled('info', 'stream-refused', `stream-refused:${code}`, { reason: code, client });
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
  const key = limitKeyOf(client);
  const count = held.byClient.get(key) ?? 0;
  if (env.streamsPerIp > 0 && count >= env.streamsPerIp) {
    throw refuse(
      429,
      'ip-limit',
      `Your address already has ${env.streamsPerIp} open streams; close one and try again.`,
      30,
    );
  }
  held.total += 1;
  held.byClient.set(key, count + 1);
  return new Ticket(client, key);
}

// A class rather than an object with a closure: one small object per open stream, nothing more.
class Ticket implements StreamTicket {
  private released = false;

  constructor(
    readonly client: string | null,
    private readonly key: string,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    held.total -= 1;
    const left = (held.byClient.get(this.key) ?? 1) - 1;
    if (left > 0) held.byClient.set(this.key, left);
    else held.byClient.delete(this.key);
  }
}

/** Streams admitted and not yet ended, and how many clients (as counted for the limit) hold them. */
export function countAdmitted(): { total: number; clients: number } {
  return { total: held.total, clients: held.byClient.size };
}

/** The count a client's streams go to: its IPv4 address, its IPv6 /64, or one shared `unknown`. */
function limitKeyOf(client: string | null): string {
  if (client === null) return 'unknown';
  if (isIP(client) !== 6) return client;
  const [head = '', tail] = (client.split('%')[0] ?? '').split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) stands for two groups, always among the last four.
  const tailSize = tailGroups.reduce((size, group) => size + (group.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailSize).fill('0');
  const groups = [...headGroups, ...zeros, ...tailGroups].slice(0, 4);
  return `${groups.map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}
