import 'server-only';
import type { ServerResponse } from 'node:http';
import type { Bus, BusMessage, BusState, StoredBoard } from '@/lib/bus/bus';
import { nextVersion } from '@/lib/bus/next-version';
import { BadBusMessage, parsePayload } from '@/lib/bus/parse-bus-message';
import { UpstreamError } from '@/lib/douban/upstream-error';
import { env } from '@/lib/env';
import { logEvent } from '@/lib/log';
import { encodeEvent, encodeRetry } from '@/lib/sse/encode-event';
import { NodeResponseSession } from '@/lib/sse/node-response-session';
import type { Session } from '@/lib/sse/session';
import { trackSession, untrackSession } from '@/lib/sse/session-ticker';
import { WebStreamSession } from '@/lib/sse/web-stream-session';
import type { BoardSnapshot, BoardSource, BoardStatus, BoardUpdate, NowPlayingPage } from '@/lib/types';
import { applyMovieDiff, orderOf, sameOrder } from './apply-movie-diff';
import { createPoller, type Poller } from './create-poller';
import { diffMovies, isEmptyDiff } from './diff-movies';

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
export class CityBoard {
  readonly city: string;
  /** Resolves once the board holds what the shared store has (at once in memory mode). */
  readonly ready: Promise<void>;
  private readonly bus: Bus;
  private readonly fetchPage: CityBoardOptions['fetchPage'];
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
  private queued: BusMessage[] | null = null;
  /** False while the board is this instance's own start-up board, not yet one the cluster shares. */
  private shared = false;
  /** The store came back without our board (Redis restarted empty): the next poll writes it again. */
  private reseed = false;
  private catchingUp: Promise<void> | null = null;
  private snapshotJson: string | null = null;
  private snapshotChunk: Uint8Array | null = null;
  private statusChunk: Uint8Array | null = null;

  constructor({ city, bus, fetchPage, saved }: CityBoardOptions) {
    this.city = city;
    this.bus = bus;
    this.fetchPage = fetchPage;
    this.version = nextVersion(0);
    this.page = { nowPlaying: saved?.nowPlaying ?? [], upcoming: saved?.upcoming ?? [] };
    this.fetchedAt = saved?.recordedAt ?? null;
    this.source = saved ? 'saved' : 'none';
    const now = new Date().toISOString();
    this.upstream = { city, state: 'stale', since: now, reason: 'not-fetched-yet', lastSuccessAt: null };
    if (bus.state() === 'down') this.degradedSince = now;
    this.poller = createPoller({
      run: () => this.poll(),
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
      streams: this.sessions.size,
      polling: this.poller.leader,
      leader: this.poller.leader,
    };
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
  }: {
    lastEventId: number | null;
    signal?: AbortSignal;
  }): ReadableStream<Uint8Array> {
    const session = new WebStreamSession({ ...this.greet(lastEventId), signal });
    this.attach(session);
    return session.stream;
  }

  /** The same stream written straight to a Node response (the production server). */
  openResponse({ lastEventId, response }: { lastEventId: number | null; response: ServerResponse }): void {
    this.attach(new NodeResponseSession(response, this.greet(lastEventId)));
  }

  private greet(lastEventId: number | null) {
    const missed = this.replayAfter(lastEventId);
    const initial = [retryChunk, ...(missed ?? [this.encodedSnapshot()]), this.encodedStatus()];
    return { initial, maxQueueBytes: env.sseMaxQueueBytes, onClose: this.onSessionClose };
  }

  private attach(session: Session): void {
    if (session.closed) return;
    this.sessions.add(session);
    trackSession(session);
    this.poller.watch();
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
      this.statusChanged();
      return true;
    }
    // Our own events come back from Redis after we applied them: a version we hold is done.
    if (!force && (message.version as number) <= this.version) return false;
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
    if (!this.degradedSince) return;
    this.degradedSince = null;
    this.statusChanged();
  }

  private readonly onSessionClose = (session: Session, reason: string) => {
    if (!this.sessions.delete(session)) return;
    untrackSession(session);
    this.poller.unwatch();
    logEvent('debug', 'stream-closed', { city: this.city, reason, streams: this.sessions.size });
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

  /** Only the instance that holds the city's lease polls (every instance, in memory mode). */
  private async poll(): Promise<boolean> {
    const startedAt = Date.now();
    let page: NowPlayingPage;
    try {
      page = await this.fetchPage(this.city);
    } catch (error) {
      const reason = error instanceof UpstreamError ? error.reason : 'internal';
      if (!(error instanceof UpstreamError))
        logEvent('error', 'poll-crashed', { city: this.city, error: String(error) });
      logEvent('warn', 'poll-failed', { city: this.city, reason, ms: Date.now() - startedAt });
      await this.publishStatus('stale', reason).catch((cause) => this.logPublishFailure(cause));
      return false;
    }
    try {
      // Status first, so the snapshot or update that follows already reads as live.
      await this.publishStatus('live', null);
      await this.publishPage(page, new Date().toISOString());
      if (this.reseed) await this.reseedStore();
      logEvent('debug', 'poll-ok', { city: this.city, ms: Date.now() - startedAt, version: this.version });
    } catch (cause) {
      // Douban answered; the shared store did not take it. The next poll diffs again.
      this.logPublishFailure(cause);
    }
    return true;
  }

  private logPublishFailure(cause: unknown): void {
    logEvent('warn', 'publish-failed', { city: this.city, error: String(cause) });
  }

  private async publishStatus(state: 'live' | 'stale', reason: string | null): Promise<void> {
    const now = new Date().toISOString();
    if (this.upstream.state === state && this.upstream.reason === reason) {
      if (state === 'live') this.upstream = { ...this.upstream, lastSuccessAt: now };
      this.statusChunk = null;
      return;
    }
    const lastSuccessAt = state === 'live' ? now : this.upstream.lastSuccessAt;
    const status: BoardStatus = { city: this.city, state, since: now, reason, lastSuccessAt };
    await this.publish(
      { city: this.city, name: 'status', version: null, previous: null, data: JSON.stringify(status) },
      null,
    );
  }

  private async publishPage(page: NowPlayingPage, fetchedAt: string): Promise<void> {
    const wasLive = this.source === 'douban';
    const diff = diffMovies(
      [...this.page.nowPlaying, ...this.page.upcoming],
      [...page.nowPlaying, ...page.upcoming],
    );
    // Douban's order, sent only when applying the change alone would not give it.
    const order = sameOrder(orderOf(applyMovieDiff(this.page, diff)), orderOf(page))
      ? undefined
      : orderOf(page);
    if (wasLive && isEmptyDiff(diff) && !order) {
      this.fetchedAt = fetchedAt;
      this.invalidateSnapshot();
      return;
    }
    const previous = this.version;
    const version = await this.bus.nextVersion(this.city, previous);
    if (previous !== this.version) return; // Another event moved the board meanwhile; the next poll diffs again.
    const snapshot: BoardSnapshot = {
      city: this.city,
      version,
      fetchedAt,
      stale: false,
      source: 'douban',
      ...page,
    };
    const snapshotJson = JSON.stringify(snapshot);
    // Saved data replaced by Douban's is a new board, not a change of the old one: send it whole.
    const data = wasLive
      ? JSON.stringify({
          city: this.city,
          version,
          fetchedAt,
          ...diff,
          ...(order && { order }),
        } satisfies BoardUpdate)
      : snapshotJson;
    await this.publish(
      { city: this.city, name: wasLive ? 'update' : 'snapshot', version, previous, data },
      snapshotJson,
    );
  }

  /**
   * Writes the board and status we hold back into a store that lost them, so instances that start
   * now serve the full board at once. Same version, no `previous`: instances that hold it skip it.
   */
  private async reseedStore(): Promise<void> {
    this.reseed = false;
    const status = JSON.stringify(this.upstream);
    await this.publish(
      { city: this.city, name: 'status', version: null, previous: null, data: status },
      null,
    );
    const snapshot = this.snapshotText();
    const message: BusMessage = {
      city: this.city,
      name: 'snapshot',
      version: this.version,
      previous: null,
      data: snapshot,
    };
    await this.publish(message, snapshot);
  }

  private async publish(message: BusMessage, snapshotJson: string | null): Promise<void> {
    if (await this.bus.publish(message, snapshotJson)) this.receive(message);
    else logEvent('info', 'publish-refused', { city: this.city, why: 'lease lost' });
  }

  /**
   * Brings the board up to what the shared store holds: the events after our version when the
   * store's history has them all (sent to every stream as they are), else the stored snapshot
   * (sent as a `snapshot`). A store that cannot be read leaves the board as it is.
   */
  private catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
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
    for (const session of this.sessions) session.write(chunk);
  }

  private statusChanged(): void {
    this.statusChunk = null;
    this.invalidateSnapshot();
    const chunk = this.encodedStatus();
    for (const session of this.sessions) session.write(chunk);
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
