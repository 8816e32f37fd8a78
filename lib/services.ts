import 'server-only';
import { type Boards, createBoards } from '@/lib/board/create-boards';
import type { Bus } from '@/lib/bus/bus';
import { createMemoryBus } from '@/lib/bus/create-memory-bus';
import { createRedisBus } from '@/lib/bus/create-redis-bus';
import { createPageParser } from '@/lib/douban/create-page-parser';
import { fetchNowPlaying } from '@/lib/douban/fetch-now-playing';
import { getSavedPage, type SavedPage } from '@/lib/douban/get-saved-page';
import type { PageParser } from '@/lib/douban/page-parser';
import { env } from '@/lib/env';
import { createHistory, createNoHistory, type History } from '@/lib/history/create-history';
import { createRedisBackend } from '@/lib/history/create-redis-backend';
import { createSqliteBackend } from '@/lib/history/create-sqlite-backend';
import { createRedisStreamPlaces } from '@/lib/limits/create-redis-stream-places';
import { createMetrics, type Metrics } from '@/lib/metrics/metrics';
import { createPosterProxy, type PosterProxy } from '@/lib/poster/create-poster-proxy';
import { shuttingDownSince } from '@/lib/shutdown';
import { CityChannel } from '@/lib/sse/city-channel';
import { createSessionTicker, type SessionTicker } from '@/lib/sse/create-session-ticker';
import { createStreamAdmission, type StreamAdmission } from '@/lib/sse/create-stream-admission';
import type { NowPlayingPage } from '@/lib/types';

/** Everything that lives as long as the process: built once, by `createServices`, and only there. */
export interface Services {
  metrics: Metrics;
  /** The boards and the bus they share (in memory, or Redis with REDIS_URL). */
  boards: Boards;
  /** The streams of a city (created on first use); `city` must be validated. */
  channel(city: string): CityChannel;
  ticker: SessionTicker;
  admission: StreamAdmission;
  /** Every film's score, votes and 想看 over time, and each city's list entries and exits. */
  history: History;
  /** GET /api/poster: the cache and the fetches to Douban's image hosts. */
  posters: PosterProxy;
  /**
   * At shutdown: stops polling (leases given up at once), then ends the parse worker once the parse
   * it is running, if any, is done, and closes the history's store.
   */
  stop(): Promise<void>;
}

/**
 * The composition root: builds the metrics, the bus, the page parser (a worker thread), the boards,
 * the stream channels, the shared heartbeat, the stream limits and the poster proxy from `env`, wired
 * to each other. Tests build a fresh one with their own bus or Douban (`fetchPage`: then no parser
 * and no thread); the app uses the process's (`getServices`).
 */
export function createServices({
  bus = createBus(),
  fetchPage,
  readSaved = getSavedPage,
  // Tests that bring their own Douban get a history of their own, in memory.
  history = createHistoryStore(fetchPage ? ':memory:' : env.dataDir),
}: {
  bus?: Bus;
  fetchPage?: (city: string) => Promise<NowPlayingPage>;
  readSaved?: (city: string) => SavedPage | null;
  history?: History;
} = {}): Services {
  const metrics = createMetrics();
  const shuttingDown = () => shuttingDownSince() !== null;
  let parser: PageParser | null = null;
  if (!fetchPage) {
    // The worker thread outlives a parse by two intervals, so a watched city's polls keep it warm.
    const pageParser = createPageParser({ metrics, idleTimeoutMs: env.pollIntervalMs * 2 });
    parser = pageParser;
    fetchPage = (city) => fetchNowPlaying({ city, parser: pageParser });
  }
  const boards = createBoards({ bus, metrics, fetchPage, readSaved, history });
  const ticker = createSessionTicker({
    heartbeatMs: env.sseHeartbeatMs,
    maxDurationMs: env.sseMaxDurationMs,
    retryMs: env.sseRetryMs,
    metrics,
    shuttingDown,
  });
  // With Redis, STREAMS_PER_IP holds across the cluster, not per instance.
  const places =
    bus.mode === 'redis' && env.redisUrl && env.streamsPerIp > 0
      ? createRedisStreamPlaces({
          url: env.redisUrl,
          prefix: env.redisPrefix,
          instance: bus.instance,
          metrics,
        })
      : null;
  const admission = createStreamAdmission({
    streamsPerIp: env.streamsPerIp,
    streamsMax: env.streamsMax,
    metrics,
    shuttingDown,
    places,
  });
  const channels = new Map<string, CityChannel>();
  return {
    metrics,
    boards,
    channel(city) {
      let channel = channels.get(city);
      if (!channel) {
        channel = new CityChannel({
          feed: boards.feed(city),
          metrics,
          ticker,
          retryMs: env.sseRetryMs,
          maxQueueBytes: env.sseMaxQueueBytes,
          maxQueueEvents: env.sseMaxQueueEvents,
        });
        channels.set(city, channel);
      }
      return channel;
    },
    ticker,
    admission,
    posters: createPosterProxy({
      metrics,
      cacheBytes: env.posterCacheBytes,
      fetchesPerSecond: env.posterFetchesPerSecond,
      fetchesPerClientPerSecond: env.posterFetchesPerClientPerSecond,
    }),
    history,
    async stop() {
      await boards.stopPolling();
      await places?.close();
      await parser?.close();
      await history.close();
    },
  };
}

/**
 * The films' history: in Redis with REDIS_URL (one history for the cluster, written by each city's
 * poller; Vercel has no disk), else in an SQLite file under `dataDir`; none with HISTORY=off.
 */
function createHistoryStore(dataDir: string): History {
  if (!env.history) return createNoHistory();
  if (env.redisUrl && dataDir !== ':memory:') {
    return createHistory({ backend: createRedisBackend({ url: env.redisUrl, prefix: env.redisPrefix }) });
  }
  return createHistory({ backend: createSqliteBackend({ dataDir }) });
}

function createBus(): Bus {
  if (!env.redisUrl) return createMemoryBus();
  return createRedisBus({
    url: env.redisUrl,
    prefix: env.redisPrefix,
    historyLimit: env.historyLimit,
    leaseMs: Math.round(env.pollIntervalMs * 1.5),
  });
}

const root = globalThis as typeof globalThis & { __nowShowingServices?: Services };

/**
 * The process's services, built on first use. Kept on globalThis because Next bundles each route
 * separately, the production server bundles lib/ once more, and `next dev` re-evaluates modules on
 * every edit: module state alone could exist several times, and the page and the stream route would
 * then poll Douban separately.
 */
export function getServices(): Services {
  root.__nowShowingServices ??= createServices();
  return root.__nowShowingServices;
}

/** The process's services if anything has used them yet (shutdown must not open Redis to close it). */
export function peekServices(): Services | null {
  return root.__nowShowingServices ?? null;
}
