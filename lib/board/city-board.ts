import 'server-only';
import type { BusMessage } from '@/lib/bus/bus';
import { nextVersion } from '@/lib/bus/next-version';
import { BadBusMessage, type BoardPayload, parsePayload } from '@/lib/bus/parse-bus-message';
import type { SavedPage } from '@/lib/douban/get-saved-page';
import { env } from '@/lib/env';
import { logEvent } from '@/lib/log';
import type { BoardLists, BoardSnapshot, BoardSource, BoardStatus } from '@/lib/types';
import { applyMovieDiff } from './apply-movie-diff';

/** What the board holds now, for whoever compares a new page with it. */
export interface BoardView {
  version: number;
  page: BoardLists;
  source: BoardSource;
  /** Douban's health as the polling instance reports it. */
  upstream: BoardStatus;
  /** False while the board is this instance's own start-up board, not yet one the cluster shares. */
  shared: boolean;
}

/** `gap`: an update that follows a version this board does not hold; the board must catch up. */
export type ApplyResult = 'applied' | 'ignored' | 'gap';

/**
 * One city's board in this process: the movies and their version, Douban's health, and the bounded
 * history of changes kept for Last-Event-ID. It changes only by events (bus messages), the same on
 * every instance of a cluster, and tells its listeners each event it applied, status changes
 * included. It knows nothing of streams or sockets: transports subscribe to it.
 */
export class CityBoard {
  readonly city: string;
  private version: number;
  private page: BoardLists;
  private fetchedAt: string | null;
  private source: BoardSource;
  private upstream: BoardStatus;
  /** Since when this instance has lost the shared store, or null. */
  private degradedSince: string | null = null;
  /** The last failed poll Douban's status reported (any instance's), for operators. */
  private lastError: { reason: string | null; at: string } | null = null;
  private shared = false;
  private history: BusMessage[] = [];
  private readonly listeners = new Set<(event: BusMessage) => void>();
  private snapshotJson: string | null = null;
  private statusJson: string | null = null;

  /** `saved`: the page bundled with the app, shown (as stale) until Douban answers once. */
  constructor({ city, saved }: { city: string; saved: SavedPage | null }) {
    this.city = city;
    this.version = nextVersion(0);
    this.page = { nowPlaying: saved?.nowPlaying ?? [], upcoming: saved?.upcoming ?? [] };
    this.fetchedAt = saved?.recordedAt ?? null;
    this.source = saved ? 'saved' : 'none';
    const since = new Date().toISOString();
    this.upstream = { city, state: 'stale', since, reason: 'not-fetched-yet', lastSuccessAt: null };
  }

  view(): BoardView {
    const { version, page, source, upstream, shared } = this;
    return { version, page, source, upstream, shared };
  }

  /** The board as GET /api/movies and the `snapshot` event give it, serialized once per change. */
  snapshotText(): string {
    this.snapshotJson ??= JSON.stringify({
      city: this.city,
      version: this.version,
      fetchedAt: this.fetchedAt,
      stale: this.status().state !== 'live' || this.source !== 'douban',
      source: this.source,
      nowPlaying: this.page.nowPlaying,
      upcoming: this.page.upcoming,
      ...(this.page.left?.length && { left: this.page.left }),
    } satisfies BoardSnapshot);
    return this.snapshotJson;
  }

  /** The `status` event's data, serialized once per change. */
  statusText(): string {
    this.statusJson ??= JSON.stringify(this.status());
    return this.statusJson;
  }

  /** The versioned events after `lastEventId`, oldest first; null when the history lacks some. */
  replayAfter(lastEventId: number | null): readonly BusMessage[] | null {
    if (lastEventId === null) return null;
    if (lastEventId === this.version) return [];
    const start = this.history.findIndex((message) => message.previous === lastEventId);
    return start === -1 ? null : this.history.slice(start);
  }

  /** Hears every event the board applies from now on (status events carry the composed status). */
  subscribe(listener: (event: BusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health() {
    const { version, source, lastError } = this;
    return { ...this.status(), version, source, lastError };
  }

  /**
   * Applies one event of the city's bus. Our own events come back from Redis after we applied them:
   * a version the shared board holds is done. Invalid payloads are logged and ignored.
   */
  apply(message: BusMessage): ApplyResult {
    const parsed = this.parse(message);
    if (!parsed) return 'ignored';
    if (parsed.name === 'status') {
      const text = JSON.stringify(parsed.payload);
      if (text === JSON.stringify(this.upstream)) return 'ignored';
      this.upstream = parsed.payload;
      if (parsed.payload.state === 'stale')
        this.lastError = { reason: parsed.payload.reason, at: parsed.payload.since };
      this.statusChanged();
      return 'applied';
    }
    // A start-up board's version is this instance's clock, not the cluster's: it takes any event.
    if (this.shared && (message.version as number) <= this.version) return 'ignored';
    if (parsed.name === 'update' && message.previous !== this.version) return 'gap';
    this.record(message, parsed);
    return 'applied';
  }

  /**
   * Takes the cluster's stored board (`snapshot`) and its history whatever the versions: a catch-up
   * that could not replay the events in between, or our start-up board giving way to the cluster's.
   */
  replace(snapshot: BusMessage, history: BusMessage[]): void {
    const parsed = this.parse(snapshot);
    if (parsed?.name !== 'snapshot') return;
    this.record(snapshot, parsed);
    this.history = history;
  }

  /** Douban answered and nothing changed: only the times move (not an event). */
  confirm({ fetchedAt, lastSuccessAt }: { fetchedAt?: string; lastSuccessAt?: string }): void {
    if (fetchedAt) {
      this.fetchedAt = fetchedAt;
      this.snapshotJson = null;
    }
    if (lastSuccessAt) {
      this.upstream = { ...this.upstream, lastSuccessAt };
      this.statusJson = null;
    }
  }

  /** This instance lost (a time) or regained (null) the shared store: every listener hears it. */
  setDegraded(since: string | null): void {
    if ((since === null) === (this.degradedSince === null)) return;
    this.degradedSince = since;
    this.statusChanged();
  }

  private parse(message: BusMessage): BoardPayload | null {
    try {
      return parsePayload(message);
    } catch (error) {
      if (!(error instanceof BadBusMessage)) throw error;
      logEvent('warn', 'bad-bus-message', { city: this.city, why: error.message });
      return null;
    }
  }

  private record(message: BusMessage, parsed: BoardPayload): void {
    if (parsed.name === 'update') {
      this.page = applyMovieDiff(this.page, parsed.payload);
      this.source = 'douban';
    } else if (parsed.name === 'snapshot') {
      const { nowPlaying, upcoming, left } = parsed.payload;
      this.page = left?.length ? { nowPlaying, upcoming, left } : { nowPlaying, upcoming };
      this.source = parsed.payload.source;
    }
    if (parsed.name !== 'status') this.fetchedAt = parsed.payload.fetchedAt;
    this.version = message.version as number;
    this.shared = true;
    this.snapshotJson = null;
    this.history.push(message);
    if (this.history.length > env.historyLimit)
      this.history.splice(0, this.history.length - env.historyLimit);
    this.emit(message);
  }

  private status(): BoardStatus {
    if (!this.degradedSince) return this.upstream;
    return { ...this.upstream, state: 'degraded', since: this.degradedSince, reason: 'redis-unavailable' };
  }

  private statusChanged(): void {
    this.statusJson = null;
    this.snapshotJson = null;
    this.emit({ city: this.city, name: 'status', version: null, previous: null, data: this.statusText() });
  }

  private emit(event: BusMessage): void {
    for (const listener of this.listeners) listener(event);
  }
}
