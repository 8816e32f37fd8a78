import 'server-only';
import type { BoardMessage, Bus } from '@/lib/bus/bus';
import { UpstreamError } from '@/lib/douban/upstream-error';
import { env } from '@/lib/env';
import { logEvent } from '@/lib/log';
import { encodeEvent, encodeRetry } from '@/lib/sse/encode-event';
import { trackSession, untrackSession } from '@/lib/sse/session-ticker';
import { SseSession } from '@/lib/sse/sse-session';
import type { BoardSnapshot, BoardSource, BoardStatus, BoardUpdate, NowPlayingPage } from '@/lib/types';
import { createPoller, type Poller } from './create-poller';
import { diffMovies, isEmptyDiff } from './diff-movies';
import { nextVersion } from './next-version';

export interface CityBoardOptions {
  city: string;
  bus: Bus;
  fetchPage: (city: string) => Promise<NowPlayingPage>;
  /** Data bundled with the app, shown (as stale) until Douban answers once. */
  saved: (NowPlayingPage & { recordedAt: string }) | null;
}

const retryChunk = () => encodeRetry(env.sseRetryMs);

/**
 * One city's board: the current movies and their version, upstream health, the bounded history of
 * changes for Last-Event-ID, the open streams, and the poller that keeps it fresh while watched.
 * Every event is encoded once here and the same bytes go to every stream of the city.
 */
export class CityBoard {
  readonly city: string;
  private readonly bus: Bus;
  private readonly fetchPage: CityBoardOptions['fetchPage'];
  private readonly poller: Poller;
  private readonly sessions = new Set<SseSession>();
  private readonly history: BoardMessage[] = [];
  private version: number;
  private page: NowPlayingPage;
  private fetchedAt: string | null;
  private source: BoardSource;
  private status: BoardStatus;
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
    this.status = {
      city,
      state: 'stale',
      since: new Date().toISOString(),
      reason: 'not-fetched-yet',
      lastSuccessAt: null,
    };
    this.poller = createPoller({
      run: () => this.poll(),
      intervalMs: env.pollIntervalMs,
      jitter: env.pollJitter,
      backoffMaxMs: env.pollBackoffMaxMs,
      graceMs: env.pollGraceMs,
    });
    bus.subscribe(city, (message) => this.receive(message));
  }

  /** The board as GET /api/movies and the `snapshot` event give it. */
  snapshot(): BoardSnapshot {
    return JSON.parse(this.snapshotText()) as BoardSnapshot;
  }

  /** The snapshot's JSON, serialized once per change. */
  snapshotText(): string {
    this.snapshotJson ??= JSON.stringify({
      city: this.city,
      version: this.version,
      fetchedAt: this.fetchedAt,
      stale: this.status.state === 'stale' || this.source !== 'douban',
      source: this.source,
      nowPlaying: this.page.nowPlaying,
      upcoming: this.page.upcoming,
    } satisfies BoardSnapshot);
    return this.snapshotJson;
  }

  health() {
    return {
      ...this.status,
      version: this.version,
      source: this.source,
      streams: this.sessions.size,
      polling: this.poller.active,
    };
  }

  /** Polls if due (see `Poller.refresh`) and waits for it at most `maxWaitMs`. */
  refresh(maxWaitMs: number): Promise<void> {
    return this.poller.refresh(maxWaitMs);
  }

  /**
   * Opens one client's stream: `retry`, then the updates after `lastEventId` when the history holds
   * them all (or nothing, if the client is current), else a snapshot; then the upstream status; then
   * every event as it happens. The client counts as a viewer until its stream ends.
   */
  openStream({
    lastEventId,
    signal,
  }: {
    lastEventId: number | null;
    signal?: AbortSignal;
  }): ReadableStream<Uint8Array> {
    const missed = this.replayAfter(lastEventId);
    const initial = [retryChunk(), ...(missed ?? [this.encodedSnapshot()]), this.encodedStatus()];
    const session = new SseSession({
      initial,
      signal,
      maxQueueBytes: env.sseMaxQueueBytes,
      onClose: this.onSessionClose,
    });
    if (!session.closed) {
      this.sessions.add(session);
      trackSession(session);
      this.poller.watch();
    }
    return session.stream;
  }

  private readonly onSessionClose = (session: SseSession, reason: string) => {
    if (!this.sessions.delete(session)) return;
    untrackSession(session);
    this.poller.unwatch();
    logEvent('debug', 'stream-closed', { city: this.city, reason, streams: this.sessions.size });
  };

  private replayAfter(lastEventId: number | null): Uint8Array[] | null {
    if (lastEventId === null) return null;
    if (lastEventId === this.version) return [];
    const start = this.history.findIndex((message) => message.previous === lastEventId);
    return start === -1 ? null : this.history.slice(start).map((message) => message.chunk);
  }

  private async poll(): Promise<boolean> {
    const startedAt = Date.now();
    try {
      const page = await this.fetchPage(this.city);
      // Status first, so the snapshot or update that follows already reads as live.
      this.setStatus('live', null);
      this.apply(page, new Date().toISOString());
      logEvent('debug', 'poll-ok', { city: this.city, ms: Date.now() - startedAt, version: this.version });
      return true;
    } catch (error) {
      const reason = error instanceof UpstreamError ? error.reason : 'internal';
      if (!(error instanceof UpstreamError))
        logEvent('error', 'poll-crashed', { city: this.city, error: String(error) });
      this.setStatus('stale', reason);
      logEvent('warn', 'poll-failed', { city: this.city, reason, ms: Date.now() - startedAt });
      return false;
    }
  }

  private apply(page: NowPlayingPage, fetchedAt: string): void {
    const previous = this.version;
    const wasLive = this.source === 'douban';
    const diff = diffMovies(
      [...this.page.nowPlaying, ...this.page.upcoming],
      [...page.nowPlaying, ...page.upcoming],
    );
    this.page = page;
    this.fetchedAt = fetchedAt;
    this.source = 'douban';
    this.invalidateSnapshot();
    if (wasLive && isEmptyDiff(diff)) return;
    this.version = nextVersion(previous);
    this.invalidateSnapshot();
    // Saved data replaced by Douban's is a new board, not a change of the old one: send it whole.
    if (!wasLive) {
      this.publish({ name: 'snapshot', previous, chunk: this.encodedSnapshot() });
      return;
    }
    const update: BoardUpdate = { city: this.city, version: this.version, fetchedAt, ...diff };
    this.publish({
      name: 'update',
      previous,
      chunk: encodeEvent({ event: 'update', id: this.version, data: JSON.stringify(update) }),
    });
  }

  private publish({ name, previous, chunk }: Pick<BoardMessage, 'name' | 'previous' | 'chunk'>): void {
    this.bus.publish({ city: this.city, name, version: this.version, previous, chunk });
  }

  private setStatus(state: BoardStatus['state'], reason: string | null): void {
    const now = new Date().toISOString();
    const lastSuccessAt = state === 'live' ? now : this.status.lastSuccessAt;
    if (this.status.state === state && this.status.reason === reason) {
      this.status = { ...this.status, lastSuccessAt };
      this.statusChunk = null;
      return;
    }
    this.status = { city: this.city, state, since: now, reason, lastSuccessAt };
    this.statusChunk = null;
    this.invalidateSnapshot();
    this.bus.publish({
      city: this.city,
      name: 'status',
      version: null,
      previous: null,
      chunk: this.encodedStatus(),
    });
  }

  /** Events from the bus: remembered for replay when they carry a version, and sent to every stream. */
  private receive(message: BoardMessage): void {
    if (message.version !== null) {
      this.history.push(message);
      if (this.history.length > env.historyLimit)
        this.history.splice(0, this.history.length - env.historyLimit);
    }
    for (const session of this.sessions) session.write(message.chunk);
  }

  private encodedSnapshot(): Uint8Array {
    this.snapshotChunk ??= encodeEvent({ event: 'snapshot', id: this.version, data: this.snapshotText() });
    return this.snapshotChunk;
  }

  private encodedStatus(): Uint8Array {
    this.statusChunk ??= encodeEvent({ event: 'status', data: JSON.stringify(this.status) });
    return this.statusChunk;
  }

  private invalidateSnapshot(): void {
    this.snapshotJson = null;
    this.snapshotChunk = null;
  }
}
