import 'server-only';
import { LRUCache } from 'lru-cache';
import { logEvent } from '@/lib/log';
import type { FilmHistory, MovieCategory, NowPlayingPage, Trend } from '@/lib/types';
import { computeTrend, DAY, startOfChinaDay, trendWindowStart } from './compute-trend';
import { diffListing } from './diff-listing';
import type { HistoryBackend, HistoryBatch } from './history-backend';
import { observeFilm } from './observe-film';

/** Films not seen for this long are dropped with their points and listings. */
const FORGET_AFTER_MS = 365 * DAY;
/**
 * New films one city may bring into the history in a Chinese day. Douban lists ~100 films a city and
 * a few new ones a week: a page that invents ids on every poll cannot grow the history without bound
 * (films past it are shown, without a trend, and said once a day in the log).
 */
export const NEW_FILMS_PER_CITY_PER_DAY = 300;
/** How often a process thins the points it keeps (and drops forgotten films). */
const PRUNE_EVERY_MS = 3_600_000;

/** Every film's score, votes and 想看 over time, and each city's list entries and exits. */
export interface History {
  /** False for the history of a server that keeps none (`HISTORY=off`). */
  readonly enabled: boolean;
  /**
   * Records what a poll of `city` saw at `at` (only the instance that polls the city calls this) and
   * answers the page with each movie's `trend`.
   */
  record(input: { city: string; page: NowPlayingPage; at: number }): Promise<NowPlayingPage>;
  /** Everything recorded of a film, with its listing in `city`; null when it was never seen. */
  film(input: { id: string; city: string }): Promise<FilmHistory | null>;
  close(): Promise<void>;
}

interface CachedTrend {
  trend: Trend;
  validUntil: number;
  /** What it was computed from: the film's last point and the city's listing events of it. */
  lastAt: number;
  events: number;
}

/**
 * The history over a backend. What a film's trend needs is read again on every poll (a few
 * queries), never kept from an earlier poll: with Redis, another instance may have written since.
 * Only trends are kept, while what they were computed from is unchanged.
 */
export function createHistory({ backend }: { backend: HistoryBackend }): History {
  const trends = new LRUCache<string, CachedTrend>({ max: 20_000 });
  let prunedAt = Date.now();
  const admitted = new Map<string, { day: number; count: number; refused: number }>();

  const trendOf = async (input: {
    city: string;
    movie: NowPlayingPage['nowPlaying'][number];
    state: Parameters<typeof computeTrend>[0]['state'];
    listing: Parameters<typeof computeTrend>[0]['listing'];
    cityStartedAt: number;
    now: number;
  }): Promise<Trend> => {
    const key = `${input.city}:${input.movie.id}`;
    const cached = trends.get(key);
    if (
      cached &&
      input.now < cached.validUntil &&
      cached.lastAt === input.state.last.at &&
      cached.events === input.listing.length
    ) {
      return cached.trend;
    }
    const points = backend.readTrendPoints
      ? await backend.readTrendPoints(input.movie.id, input.now)
      : await backend.readPoints(input.movie.id, trendWindowStart(input.now));
    const { trend, validUntil } = computeTrend({ ...input, points });
    trends.set(key, { trend, validUntil, lastAt: input.state.last.at, events: input.listing.length });
    return trend;
  };

  return {
    enabled: true,
    async record({ city, page, at }) {
      const movies = [...page.nowPlaying, ...page.upcoming];
      const [states, stored] = await Promise.all([
        backend.readFilms(movies.map((movie) => movie.id)),
        backend.readCity(city),
      ]);
      const batch: HistoryBatch = {
        films: [],
        points: [],
        listings: [],
        cityStarted: stored.startedAt === null ? { city, at } : null,
      };
      const day = startOfChinaDay(at);
      let quota = admitted.get(city);
      if (!quota || quota.day !== day) {
        quota = { day, count: 0, refused: 0 };
        admitted.set(city, quota);
      }
      const refused = new Set<string>();
      for (const movie of movies) {
        const known = states.get(movie.id) ?? null;
        if (!known) {
          if (quota.count >= NEW_FILMS_PER_CITY_PER_DAY) {
            refused.add(movie.id);
            continue;
          }
          quota.count += 1;
        }
        const { state, point, write } = observeFilm(known, movie, at);
        states.set(movie.id, state);
        if (write) batch.films.push({ id: movie.id, state });
        if (point) batch.points.push({ id: movie.id, point });
      }
      const current = new Map<string, MovieCategory | null>();
      for (const [id, events] of stored.listings) current.set(id, events.at(-1)?.list ?? null);
      if (refused.size > 0 && quota.refused === 0) {
        logEvent('warn', 'history-new-films-capped', {
          city,
          refused: refused.size,
          cap: NEW_FILMS_PER_CITY_PER_DAY,
        });
      }
      quota.refused += refused.size;
      const recordable = (movie: { id: string }) => !refused.has(movie.id);
      const listed = {
        nowPlaying: page.nowPlaying.filter(recordable),
        upcoming: page.upcoming.filter(recordable),
      };
      for (const { id, event } of diffListing(current, listed, at)) {
        batch.listings.push({ city, id, event });
        stored.listings.set(id, [...(stored.listings.get(id) ?? []), event]);
      }
      await backend.write(batch);

      const cityStartedAt = stored.startedAt ?? at;
      const withTrend = async (movie: NowPlayingPage['nowPlaying'][number]) => {
        const state = states.get(movie.id);
        if (!state) return movie;
        const listing = stored.listings.get(movie.id) ?? [];
        const trend = await trendOf({ city, movie, state, listing, cityStartedAt, now: at });
        return { ...movie, trend };
      };
      const result: NowPlayingPage = {
        nowPlaying: await Promise.all(page.nowPlaying.map(withTrend)),
        upcoming: await Promise.all(page.upcoming.map(withTrend)),
      };
      if (at - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = at;
        await backend.prune({ now: at, dropBefore: at - FORGET_AFTER_MS });
      }
      return result;
    },

    async film({ id, city }) {
      const state = (await backend.readFilms([id])).get(id);
      if (!state) return null;
      const [points, listing] = await Promise.all([backend.readPoints(id, 0), backend.readListing(city, id)]);
      return { id, city, firstSeenAt: state.firstSeenAt, ratedAt: state.ratedAt, points, listing };
    },

    close: () => backend.close(),
  };
}

/** The history of a server that keeps none (`HISTORY=off`): pages pass through without trends. */
export function createNoHistory(): History {
  return {
    enabled: false,
    record: async ({ page }) => page,
    film: async () => null,
    close: async () => {},
  };
}
