import 'server-only';
import { LRUCache } from 'lru-cache';
import { logEvent } from '@/lib/log';
import { LEFT_MAX, RECENTLY_LEFT_MS } from '@/lib/schema/board';
import type {
  BoardLists,
  FilmHistory,
  ListingEvent,
  Movie,
  MovieCategory,
  NowPlayingPage,
  Trend,
} from '@/lib/types';
import { computeTrend, DAY, startOfChinaDay, trendWindowStart } from './compute-trend';
import { diffListing } from './diff-listing';
import { toCard } from './film-card';
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
   * answers the page with each movie's `trend`, and the city's 最近下映 (`left`) when it has any.
   * `shown`: the board as it is before this poll, whose movies are the last look of those that leave.
   */
  record(input: { city: string; page: NowPlayingPage; at: number; shown?: BoardLists }): Promise<BoardLists>;
  /** Everything recorded of a film, with its listing in `city`; null when it was never seen. */
  film(input: { id: string; city: string }): Promise<FilmHistory | null>;
  /** The film as a page last listed it (see `toCard`), for a film no board lists now; null: none kept. */
  card(id: string): Promise<Movie | null>;
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
  // A left film's trend is the one it had when it left: it never changes, nor does its key.
  const leftTrends = new LRUCache<string, Trend>({ max: 5_000 });
  const cards = new LRUCache<string, Movie>({ max: 5_000 });
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

  /** The film as it was when it left: its card, from the list it left, with its trend as it was then. */
  const leftMovie = async (input: {
    city: string;
    id: string;
    card: Movie;
    listing: ListingEvent[];
    cityStartedAt: number;
  }): Promise<Movie | null> => {
    const { city, id, listing } = input;
    const exit = listing.at(-1) as ListingEvent;
    const movie = { ...input.card, category: listing.at(-2)?.list ?? input.card.category };
    const key = `${city}:${id}:${exit.at}:${listing.length}`;
    let trend = leftTrends.get(key);
    if (!trend) {
      const state = (await backend.readFilms([id])).get(id);
      if (!state) return null;
      const then = exit.at;
      const points = (await backend.readPoints(id, trendWindowStart(then))).filter(
        (point) => point.at <= then,
      );
      const last = points.at(-1) ?? state.last;
      ({ trend } = computeTrend({
        state: { ...state, last },
        points,
        listing,
        cityStartedAt: input.cityStartedAt,
        movie,
        now: then,
      }));
      leftTrends.set(key, trend);
    }
    return { ...movie, trend };
  };

  /** The films that left `city`'s lists within `RECENTLY_LEFT_MS` of `now`, newest exit first. */
  const recentlyLeft = async (
    city: string,
    listings: Map<string, ListingEvent[]>,
    cityStartedAt: number,
    now: number,
  ): Promise<Movie[]> => {
    const exits: Array<{ id: string; listing: ListingEvent[]; at: number }> = [];
    for (const [id, listing] of listings) {
      const last = listing.at(-1);
      if (last && last.list === null && now - last.at < RECENTLY_LEFT_MS)
        exits.push({ id, listing, at: last.at });
    }
    if (exits.length === 0) return [];
    exits.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
    exits.length = Math.min(exits.length, LEFT_MAX);
    const missing = exits.map(({ id }) => id).filter((id) => !cards.has(id));
    if (missing.length > 0) for (const [id, card] of await backend.readCards(missing)) cards.set(id, card);
    const movies = await Promise.all(
      exits.map(({ id, listing }) => {
        const card = cards.get(id);
        // A film that left while no poll saw its last look, before cards were kept, has none to show.
        return card ? leftMovie({ city, id, card, listing, cityStartedAt }) : null;
      }),
    );
    return movies.filter((movie) => movie !== null);
  };

  return {
    enabled: true,
    async record({ city, page, at, shown }) {
      const movies = [...page.nowPlaying, ...page.upcoming];
      const [states, stored] = await Promise.all([
        backend.readFilms(movies.map((movie) => movie.id)),
        backend.readCity(city),
      ]);
      const batch: HistoryBatch = {
        films: [],
        points: [],
        listings: [],
        cards: [],
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
          batch.cards.push({ id: movie.id, movie: toCard(movie) });
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
      const lastLook = new Map(
        [...(shown?.nowPlaying ?? []), ...(shown?.upcoming ?? [])].map((m) => [m.id, m]),
      );
      for (const { id, event } of diffListing(current, listed, at)) {
        batch.listings.push({ city, id, event });
        stored.listings.set(id, [...(stored.listings.get(id) ?? []), event]);
        const look = event.list === null ? lastLook.get(id) : undefined;
        if (look) batch.cards.push({ id, movie: toCard(look) });
      }
      await backend.write(batch);
      for (const { id, movie } of batch.cards) cards.set(id, movie);

      const cityStartedAt = stored.startedAt ?? at;
      const withTrend = async (movie: NowPlayingPage['nowPlaying'][number]) => {
        const state = states.get(movie.id);
        if (!state) return movie;
        const listing = stored.listings.get(movie.id) ?? [];
        const trend = await trendOf({ city, movie, state, listing, cityStartedAt, now: at });
        return { ...movie, trend };
      };
      const left = await recentlyLeft(city, stored.listings, cityStartedAt, at);
      const result: BoardLists = {
        nowPlaying: await Promise.all(page.nowPlaying.map(withTrend)),
        upcoming: await Promise.all(page.upcoming.map(withTrend)),
        ...(left.length > 0 && { left }),
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

    async card(id) {
      const card = cards.get(id) ?? (await backend.readCards([id])).get(id);
      return card ?? null;
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
    card: async () => null,
    close: async () => {},
  };
}
