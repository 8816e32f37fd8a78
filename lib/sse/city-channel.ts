import 'server-only';
import type { BoardFeed } from '@/lib/board/create-boards';
import type { BusMessage } from '@/lib/bus/bus';
import { logEvent, logThrottled } from '@/lib/log';
import type { Metrics } from '@/lib/metrics/metrics';
import type { SessionTicker } from './create-session-ticker';
import type { StreamTicket } from './create-stream-admission';
import { encodeEvent, encodeRetry } from './encode-event';
import { type CloseReason, type Connection, Session, type SessionPolicy } from './session';

export interface ChannelOptions {
  feed: BoardFeed;
  metrics: Metrics;
  ticker: SessionTicker;
  /** The `retry:` every stream starts with. */
  retryMs: number;
  maxQueueBytes: number;
  maxQueueEvents: number;
}

/**
 * The open streams of one city in this process. Each of the board's events is encoded once and the
 * same bytes go to every stream; a stream starts with the greeting (`retry`, the events it missed
 * or a snapshot, the status). Every stream counts as a viewer of the board while it is open, so the
 * city is polled while watched. Counts what it sends, and logs (throttled) the slow clients it drops.
 */
export class CityChannel {
  private readonly sessions = new Set<Session>();
  private readonly encoded = new WeakMap<BusMessage, Uint8Array>();
  private snapshot: { text: string; chunk: Uint8Array } | null = null;
  private status: { text: string; chunk: Uint8Array } | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly retryChunk: Uint8Array;
  private readonly policy: SessionPolicy;
  // This city's metric series, looked up once rather than on every broadcast.
  private readonly counters: {
    open: ReturnType<Metrics['streamsOpen']['labels']>;
    events: ReturnType<Metrics['eventsSent']['labels']>;
    slow: ReturnType<Metrics['slowClientsDropped']['labels']>;
  };

  constructor(private readonly options: ChannelOptions) {
    const { city } = options.feed;
    this.retryChunk = encodeRetry(options.retryMs);
    this.policy = {
      maxQueueBytes: options.maxQueueBytes,
      maxQueueEvents: options.maxQueueEvents,
      onClose: this.onSessionClose,
    };
    this.counters = {
      open: options.metrics.streamsOpen.labels(city),
      events: options.metrics.eventsSent.labels(city),
      slow: options.metrics.slowClientsDropped.labels(city),
    };
  }

  /** Resolves once the city's board holds the shared state (Redis mode): open streams after it. */
  get ready(): Promise<void> {
    return this.options.feed.sync.ready;
  }

  /** Open streams of the city. */
  get size(): number {
    return this.sessions.size;
  }

  /**
   * Opens one client's stream on `connection`: `retry`, then the events after `lastEventId` when the
   * board's history holds them all (nothing, if the client is current), else a snapshot; then the
   * status; then every event as it happens. Call once the board is ready.
   */
  open({
    connection,
    lastEventId,
    ticket,
  }: {
    connection: Connection;
    lastEventId: number | null;
    ticket: StreamTicket | null;
  }): Session {
    const { board } = this.options.feed;
    const missed = board.replayAfter(lastEventId);
    const greeting = [
      this.retryChunk,
      ...(missed ? missed.map((message) => this.encode(message)) : [this.encodedSnapshot()]),
      this.encodedStatus(),
    ];
    let bytes = 0;
    for (const chunk of greeting) bytes += chunk.byteLength;
    this.counters.events.inc(greeting.length - 1);
    this.options.metrics.bytesSent.inc(bytes);
    const session = new Session({ connection, greeting, ticket, policy: this.policy });
    if (session.closed) return session;
    this.sessions.add(session);
    this.unsubscribe ??= board.subscribe(this.broadcast);
    this.counters.open.inc();
    this.options.ticker.track(session);
    this.options.feed.poller.watch();
    return session;
  }

  /** Writes one event of the board to every stream of the city, and counts it once. */
  private readonly broadcast = (event: BusMessage): void => {
    const chunk = event.name === 'status' ? this.encodedStatus() : this.encode(event);
    const streams = this.sessions.size;
    for (const session of this.sessions) session.write(chunk);
    this.counters.events.inc(streams);
    this.options.metrics.bytesSent.inc(streams * chunk.byteLength);
  };

  private readonly onSessionClose = (session: Session, reason: CloseReason) => {
    if (!this.sessions.delete(session)) return;
    const { feed, ticker, metrics } = this.options;
    ticker.untrack(session);
    feed.poller.unwatch();
    if (this.sessions.size === 0) {
      this.unsubscribe?.();
      this.unsubscribe = null;
    }
    this.counters.open.dec();
    metrics.streamsClosed.labels(reason).inc();
    const fields = { city: feed.city, reason, streams: this.sessions.size };
    if (reason === 'slow-client') {
      this.counters.slow.inc();
      // Throttled: a proxy that stops reading can take thousands of streams down at once.
      logThrottled('info', 'slow-client-dropped', `slow:${feed.city}`, fields);
    } else {
      logEvent('debug', 'stream-closed', fields);
    }
  };

  /** A versioned event's block, encoded once per process however many streams and replays need it. */
  private encode(message: BusMessage): Uint8Array {
    let chunk = this.encoded.get(message);
    if (!chunk) {
      chunk = encodeEvent({ event: message.name, id: message.version ?? undefined, data: message.data });
      this.encoded.set(message, chunk);
    }
    return chunk;
  }

  private encodedSnapshot(): Uint8Array {
    const { board } = this.options.feed;
    const text = board.snapshotText();
    if (this.snapshot?.text !== text) {
      const id = board.view().version;
      this.snapshot = { text, chunk: encodeEvent({ event: 'snapshot', id, data: text }) };
    }
    return this.snapshot.chunk;
  }

  private encodedStatus(): Uint8Array {
    const text = this.options.feed.board.statusText();
    if (this.status?.text !== text)
      this.status = { text, chunk: encodeEvent({ event: 'status', data: text }) };
    return this.status.chunk;
  }
}
