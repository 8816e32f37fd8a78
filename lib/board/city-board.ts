import 'server-only';
import type { ServerResponse } from 'node:http';
import type { Bus, BusMessage, BusState, StoredBoard } from '@/lib/bus/bus';
import { nextVersion } from '@/lib/bus/next-version';
import { BadBusMessage, parsePayload } from '@/lib/bus/parse-bus-message';
import { env } from '@/lib/env';
import { logEvent, logThrottled } from '@/lib/log';
import { metrics } from '@/lib/metrics/metrics';
import type { StreamTicket } from '@/lib/sse/admit-stream';
import { encodeEvent, encodeRetry } from '@/lib/sse/encode-event';
import { NodeResponseSession } from '@/lib/sse/node-response-session';
import type { CloseReason, Session, SessionOptions } from '@/lib/sse/session';
import { trackSession, untrackSession } from '@/lib/sse/session-ticker';
import { WebStreamSession } from '@/lib/sse/web-stream-session';
import type { BoardSnapshot, BoardSource, BoardStatus, NowPlayingPage } from '@/lib/types';
import { applyMovieDiff } from './apply-movie-diff';
import { createBoardPoll, type PolledBoard } from './create-board-poll';
import { createPoller, type Poller } from './create-poller';

export interface CityBoardOptions {
  city: string;
  bus: Bus;
  fetchPage: (city: string) => Promise<NowPlayingPage>;
  /** Data bundled with the app, shown (as stale) until Douban answers once. */
  saved: (NowPlayingPage & { recordedAt: string }) | null;
}

interface Recorded {
  message: BusMessage;
  chunk: Uint8Array;
}

// The same for every stream of the process: encoded once.
const retryChunk = encodeRetry(env.sseRetryMs);

const encodeMessage = (message: BusMessage) =>
  encodeEvent({ event: message.name, id: message.version ?? undefined, data: message.data });

/**
 * One city's board in this process: the movies and their version, Douban's health, the bounded
 * history of changes for Last-Event-ID, the open streams, and the poller that keeps it fresh while
 * watched. Every change arrives as a bus message, also the ones this instance publishes, so every
 * instance of a cluster holds the same board; each message is encoded once and the same bytes go to
 * every stream of the city.
 */
export class CityBoard implements PolledBoard {
  readonly city: string;
  /** Resolves once the board holds what the shared store has (at once in memory mode). */
  readonly ready: Promise<void>;
  private readonly bus: Bus;
  private readonly poller: Poller;
  private readonly sessions = new Set<Session>();
  private history: Recorded[] = [];
  private version: number;
  private page: NowPlayingPage;
  private fetchedAt: string | null;
  private source: BoardSource;
  /** Douban's health as the polling instance reports it. */
  private upstream: BoardStatus;
  /** Since when this instance has lost the shared store, or null. */
  private degradedSince: string | null = null;
  /** The last failed poll Douban's status reported (any instance's), for operators. */
  private lastError: { reason: string | null; at: string } | null = null;
  private queued: BusMessage[] | null = null;
  /** False while the board is this instance's own start-up board, not yet one the cluster shares. */
  private shared = false;
  /** The store came back without our board (Redis restarted empty): the next poll writes it again. */
  private reseed = false;
  private catchingUp: Promise<void> | null = null;
  private snapshotJson: string | null = null;
  private snapshotChunk: Uint8Array | null = null;
  private statusChunk: Uint8Array | null = null;
  // This city's metric series, looked up once rather than on every broadcast.
  private readonly counters: {
    open: ReturnType<typeof metrics.streamsOpen.labels>;
    events: ReturnType<typeof metrics.eventsSent.labels>;
    slow: ReturnType<typeof metrics.slowClientsDropped.labels>;
  };

  constructor({ city, bus, fetchPage, saved }: CityBoardOptions) {
    this.city = city;
    this.counters = {
      open: metrics.streamsOpen.labels(city),
      events: metrics.eventsSent.labels(city),
      slow: metrics.slowClientsDropped.labels(city),
    };
    this.bus = bus;
    this.version = nextVersion(0);
    this.page = { nowPlaying: saved?.nowPlaying ?? [], upcoming: saved?.upcoming ?? [] };
    this.fetchedAt = saved?.recordedAt ?? null;
    this.source = saved ? 'saved' : 'none';
    const now = new Date().toISOString();
    this.upstream = { city, state: 'stale', since: now, reason: 'not-fetched-yet', lastSuccessAt: null };
    if (bus.state() === 'down') this.degradedSince = now;
    this.poller = createPoller({
      run: createBoardPoll({ board: this, bus, fetchPage }),
      intervalMs: env.pollIntervalMs,
      jitter: env.pollJitter,
      backoffMaxMs: env.pollBackoffMaxMs,
      graceMs: env.pollGraceMs,
      lease: bus.lease(city),
    });
    // Until the stored board is loaded, messages wait, so none is applied to the wrong version.
    this.queued = bus.mode === 'memory' ? null : [];
    this.ready = this.queued ? this.catchUp() : Promise.resolve();
  }

  /** The board as GET /api/movies and the `snapshot` event give it. */
  snapshot(): BoardSnapshot {
    return JSON.parse(this.snapshotText()) as BoardSnapshot;
  }

  /** The snapshot's JSON, serialized once per change. */
  snapshotText(): string {
    this.snapshotJson ??= JSON.stringify(this.composeSnapshot());
    return this.snapshotJson;
  }

  health() {
    return {
      ...this.status(),
      version: this.version,
      source: this.source,
      lastError: this.lastError,
      streams: this.sessions.size,
      polling: this.poller.leader,
      leader: this.poller.leader,
    };
  }

  /**
   * Stops polling the city (the process is going away) and gives up its lease if this instance
   * holds it, so another instance of the cluster polls at once instead of after the lease expires.
   */
  stopPolling(): Promise<void> {
    return this.poller.stop();
  }

  /** Polls if due (see `Poller.refresh`) and waits for it at most `maxWaitMs`. */
  refresh(maxWaitMs: number): Promise<void> {
    return this.poller.refresh(maxWaitMs);
  }

  /**
   * Opens one client's stream as a web `ReadableStream` (route handlers): `retry`, then the events
   * after `lastEventId` when the history holds them all (nothing, if the client is current), else a
   * snapshot; then the status; then every event as it happens. The client counts as a viewer until
   * its stream ends. Call after `ready`.
   */
  openStream({
    lastEventId,
    signal,
    ticket = null,
  }: {
    lastEventId: number | null;
    signal?: AbortSignal;
    ticket?: StreamTicket | null;
  }): ReadableStream<Uint8Array> {
    const session = new WebStreamSession({ ...this.greet(lastEventId, ticket), signal });
    this.attach(session);
    return session.stream;
  }

  /** The same stream written straight to a Node response (the production server). */
  openResponse({
    lastEventId,
    response,
    ticket = null,
  }: {
    lastEventId: number | null;
    response: ServerResponse;
    ticket?: StreamTicket | null;
  }): void {
    this.attach(new NodeResponseSession(response, this.greet(lastEventId, ticket)));
  }

  private greet(lastEventId: number | null, ticket: StreamTicket | null): SessionOptions {
    const missed = this.replayAfter(lastEventId);
    const initial = [retryChunk, ...(missed ?? [this.encodedSnapshot()]), this.encodedStatus()];
    let bytes = 0;
    for (const chunk of initial) bytes += chunk.byteLength;
    this.counters.events.inc(initial.length - 1);
    metrics.bytesSent.inc(bytes);
    return {
      initial,
      maxQueueBytes: env.sseMaxQueueBytes,
      maxQueueEvents: env.sseMaxQueueEvents,
      ticket,
      onClose: this.onSessionClose,
    };
  }

  private attach(session: Session): void {
    if (session.closed) return;
    this.sessions.add(session);
    this.counters.open.inc();
    trackSession(session);
    this.poller.watch();
  }

  /** Writes one event to every stream of the city, and counts it once. */
  private broadcast(chunk: Uint8Array): void {
    const streams = this.sessions.size;
    if (streams === 0) return;
    for (const session of this.sessions) session.write(chunk);
    this.counters.events.inc(streams);
    metrics.bytesSent.inc(streams * chunk.byteLength);
  }

  /** Every event of this city from the bus (its own included): applied once, recorded, sent out. */
  receive(message: BusMessage): void {
    if (this.queued) this.queued.push(message);
    else this.apply(message, false);
  }

  /**
   * Applies one event; `force` takes a snapshot whatever its version (our start-up board giving way
   * to the cluster's). Returns whether the board changed. Invalid payloads are logged and skipped.
   */
  private apply(message: BusMessage, force: boolean): boolean {
    let parsed: ReturnType<typeof parsePayload>;
    try {
      parsed = parsePayload(message);
    } catch (error) {
      if (!(error instanceof BadBusMessage)) throw error;
      logEvent('warn', 'bad-bus-message', { city: this.city, why: error.message });
      return false;
    }
    if (parsed.name === 'status') {
      if (JSON.stringify(parsed.payload) === JSON.stringify(this.upstream)) return false;
      this.upstream = parsed.payload;
      if (parsed.payload.state === 'stale')
        this.lastError = { reason: parsed.payload.reason, at: parsed.payload.since };
      this.statusChanged();
      return true;
    }
    // Our own events come back from Redis after we applied them: a version we hold is done.
    // (A start-up board's version is this instance's clock, not the cluster's: it takes any event.)
    if (!force && this.shared && (message.version as number) <= this.version) return false;
    if (parsed.name === 'update') {
      if (message.previous !== this.version) {
        void this.catchUp();
        return false;
      }
      this.page = applyMovieDiff(this.page, parsed.payload);
      this.source = 'douban';
    } else {
      this.page = { nowPlaying: parsed.payload.nowPlaying, upcoming: parsed.payload.upcoming };
      this.source = parsed.payload.source;
    }
    this.version = message.version as number;
    this.shared = true;
    this.fetchedAt = parsed.payload.fetchedAt;
    this.invalidateSnapshot();
    this.record(message, encodeMessage(message));
    return true;
  }

  /** The shared store dropped or returned: say so to every stream, and catch up when it is back. */
  async onBusState(state: BusState): Promise<void> {
    if (state === 'down') {
      this.degradedSince ??= new Date().toISOString();
      this.statusChanged();
      return;
    }
    await this.catchUp();
    // Redis may have dropped again while we caught up.
    if (!this.degradedSince || this.bus.state() !== 'ready') return;
    this.degradedSince = null;
    this.statusChanged();
  }

  private readonly onSessionClose = (session: Session, reason: CloseReason) => {
    if (!this.sessions.delete(session)) return;
    untrackSession(session);
    this.poller.unwatch();
    this.counters.open.dec();
    metrics.streamsClosed.labels(reason).inc();
    if (reason === 'slow-client') {
      this.counters.slow.inc();
      // Throttled: a proxy that stops reading can take thousands of streams down at once.
      logThrottled('info', 'slow-client-dropped', `slow:${this.city}`, {
        city: this.city,
        reason,
        streams: this.sessions.size,
      });
    } else {
      logEvent('debug', 'stream-closed', { city: this.city, reason, streams: this.sessions.size });
    }
  };

  private status(): BoardStatus {
    if (!this.degradedSince) return this.upstream;
    return { ...this.upstream, state: 'degraded', since: this.degradedSince, reason: 'redis-unavailable' };
  }

  private composeSnapshot(): BoardSnapshot {
    return {
      city: this.city,
      version: this.version,
      fetchedAt: this.fetchedAt,
      stale: this.status().state !== 'live' || this.source !== 'douban',
      source: this.source,
      nowPlaying: this.page.nowPlaying,
      upcoming: this.page.upcoming,
    };
  }

  private replayAfter(lastEventId: number | null): Uint8Array[] | null {
    if (lastEventId === null) return null;
    if (lastEventId === this.version) return [];
    const start = this.history.findIndex(({ message }) => message.previous === lastEventId);
    return start === -1 ? null : this.history.slice(start).map(({ chunk }) => chunk);
  }

  /** For the polling side (createBoardPoll): the board as it stands. */
  view() {
    return { version: this.version, page: this.page, source: this.source, upstream: this.upstream };
  }

  /** Douban answered and nothing changed: only the times move. */
  touch({ fetchedAt, lastSuccessAt }: { fetchedAt?: string; lastSuccessAt?: string }): void {
    if (fetchedAt) {
      this.fetchedAt = fetchedAt;
      this.invalidateSnapshot();
    }
    if (lastSuccessAt) {
      this.upstream = { ...this.upstream, lastSuccessAt };
      this.statusChunk = null;
    }
  }

  resync(): Promise<void> {
    return this.catchUp();
  }

  takeReseed(): boolean {
    const reseed = this.reseed;
    this.reseed = false;
    return reseed;
  }

  /**
   * Brings the board up to what the shared store holds: the events after our version when the
   * store's history has them all (sent to every stream as they are), else the stored snapshot
   * (sent as a `snapshot`). A store that cannot be read leaves the board as it is.
   */
  private catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      // Events that arrive while we read the store wait, and apply on top of what we read.
      this.queued ??= [];
      let stored: StoredBoard | null = null;
      try {
        stored = await this.bus.load(this.city);
      } catch (error) {
        logEvent('warn', 'catch-up-failed', { city: this.city, error: String(error) });
      }
      const queued = this.queued ?? [];
      this.queued = null;
      try {
        if (stored) this.adopt(stored);
      } catch (error) {
        // `ready` must resolve whatever the store holds: the board then serves what it has.
        logEvent('error', 'catch-up-crashed', { city: this.city, error: String(error) });
      }
      if (stored && !stored.snapshot && this.shared) this.reseed = true;
      // Loaded from a store that answers: not degraded, also for a stream opened before onBusState runs.
      if (stored && this.bus.state() === 'ready' && this.degradedSince) {
        this.degradedSince = null;
        this.statusChanged();
      }
      for (const message of queued) this.receive(message);
    })().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  private adopt(stored: StoredBoard): void {
    if (stored.status)
      this.receive({ city: this.city, name: 'status', version: null, previous: null, data: stored.status });
    if (!stored.snapshot) return;
    let version: unknown;
    try {
      version = (JSON.parse(stored.snapshot) as { version?: unknown }).version;
    } catch {
      // Checked below with the rest of the payload.
    }
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version <= 0) {
      logEvent('warn', 'bad-bus-message', {
        city: this.city,
        why: 'stored snapshot without a version',
        from: 'snapshot',
      });
      return;
    }
    if (version === this.version) return;
    const start = stored.history.findIndex((message) => message.previous === this.version);
    if (version > this.version && start !== -1 && stored.history.at(-1)?.version === version) {
      for (const message of stored.history.slice(start)) this.receive(message);
      return;
    }
    // A store that lost its data (restarted without persistence) must not move a shared board back;
    // our start-up board (numbered by our clock) gives way to the cluster's at once.
    if (version < this.version && this.shared) return;
    const snapshot: BusMessage = {
      city: this.city,
      name: 'snapshot',
      version,
      previous: null,
      data: stored.snapshot,
    };
    if (this.apply(snapshot, !this.shared)) {
      this.history = stored.history.map((message) => ({ message, chunk: encodeMessage(message) }));
    }
  }

  private record(message: BusMessage, chunk: Uint8Array): void {
    this.history.push({ message, chunk });
    if (this.history.length > env.historyLimit)
      this.history.splice(0, this.history.length - env.historyLimit);
    this.broadcast(chunk);
  }

  private statusChanged(): void {
    this.statusChunk = null;
    this.invalidateSnapshot();
    this.broadcast(this.encodedStatus());
  }

  private encodedSnapshot(): Uint8Array {
    this.snapshotChunk ??= encodeEvent({ event: 'snapshot', id: this.version, data: this.snapshotText() });
    return this.snapshotChunk;
  }

  private encodedStatus(): Uint8Array {
    this.statusChunk ??= encodeEvent({ event: 'status', data: JSON.stringify(this.status()) });
    return this.statusChunk;
  }

  private invalidateSnapshot(): void {
    this.snapshotJson = null;
    this.snapshotChunk = null;
  }
}
