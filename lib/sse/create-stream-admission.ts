import 'server-only';
import { HttpError } from '@/lib/errors';
import type { StreamPlaces } from '@/lib/limits/stream-places';
import { logThrottled } from '@/lib/log';
import type { Metrics } from '@/lib/metrics/metrics';
import { clientKeyOf } from '@/lib/net/client-key-of';

/** A stream's place under the limits, held from admission until the stream ends. */
export interface StreamTicket {
  readonly client: string | null;
  /** Gives the place back; safe to call more than once. */
  release(): void;
}

/** Admission of streams under the limits; one per process (see `getServices`). */
export interface StreamAdmission {
  /**
   * Admits one more stream, or rejects with the answer that refuses it: 503 while the process shuts
   * down or serves `streamsMax` streams already, 429 when the client IP holds `streamsPerIp` (in the
   * whole cluster, with `places`). Each refusal says why in JSON and when to come back
   * (`Retry-After`, spread so refused clients do not return in step), and is counted. The process's
   * place is taken at once, before any await, so a burst cannot slip past; the cluster's is then
   * asked for.
   */
  admit(client: string | null): Promise<StreamTicket>;
  /** Streams admitted and not yet ended, and how many clients (as counted for the limit) hold them. */
  count(): { total: number; clients: number };
}

/**
 * Clients are counted by address, except that an IPv6 address counts for its /64 (one host usually
 * holds a whole /64 and could otherwise open `streamsPerIp` streams from each of its addresses), and
 * every client whose address could not be read (`null`) shares one count: an unreadable
 * `X-Forwarded-For` must not lift the limit. 0 turns either limit off.
 */
export function createStreamAdmission({
  streamsPerIp,
  streamsMax,
  metrics,
  shuttingDown,
  places = null,
}: {
  streamsPerIp: number;
  streamsMax: number;
  metrics: Metrics;
  /** Whether the process is going away (then every stream is refused). */
  shuttingDown: () => boolean;
  /** The places per client shared by the cluster (Redis); without, each process counts alone. */
  places?: StreamPlaces | null;
}): StreamAdmission {
  const held: Held = { total: 0, byClient: new Map() };
  const refuse = (client: string | null, { status, code, message, retryAfterS, headers = {} }: Refusal) => {
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
  const ipLimit = (client: string | null) =>
    refuse(client, {
      status: 429,
      code: 'ip-limit',
      message: `Your address already has ${streamsPerIp} open streams; close one and try again.`,
      retryAfterS: 30,
    });
  return {
    async admit(client) {
      if (shuttingDown()) {
        // Connection: close, so the client's next try opens a new connection (to another instance,
        // or to this one restarted) instead of coming back on this one. Under `next start` a stream
        // ended at shutdown leaves its connection in keep-alive, where the reconnect lands, and Next
        // waits for every connection to close before it exits.
        throw refuse(client, {
          status: 503,
          code: 'shutting-down',
          message: 'This server is restarting; try again in a moment.',
          retryAfterS: 2,
          headers: { Connection: 'close' },
        });
      }
      if (streamsMax > 0 && held.total >= streamsMax) {
        throw refuse(client, {
          status: 503,
          code: 'total-limit',
          message: `This server is at its limit of ${streamsMax} open streams.`,
          retryAfterS: 10,
        });
      }
      const key = clientKeyOf(client);
      const count = held.byClient.get(key) ?? 0;
      if (streamsPerIp > 0 && count >= streamsPerIp) throw ipLimit(client);
      held.total += 1;
      held.byClient.set(key, count + 1);
      const ticket = new Ticket(held, client, key);
      if (!places || streamsPerIp === 0) return ticket;
      if (!(await places.take(key, streamsPerIp))) {
        ticket.release();
        throw ipLimit(client);
      }
      ticket.places = places;
      return ticket;
    },
    count: () => ({ total: held.total, clients: held.byClient.size }),
  };
}

interface Held {
  total: number;
  byClient: Map<string, number>;
}

interface Refusal {
  status: number;
  code: string;
  message: string;
  retryAfterS: number;
  headers?: Record<string, string>;
}

// A class rather than an object with a closure: one small object per open stream, nothing more.
class Ticket implements StreamTicket {
  private released = false;
  /** Set once the cluster's place is taken too: given back with the process's. */
  places: StreamPlaces | null = null;

  constructor(
    private readonly held: Held,
    readonly client: string | null,
    private readonly key: string,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    const { held } = this;
    held.total -= 1;
    const left = (held.byClient.get(this.key) ?? 1) - 1;
    if (left > 0) held.byClient.set(this.key, left);
    else held.byClient.delete(this.key);
    this.places?.give(this.key);
  }
}
