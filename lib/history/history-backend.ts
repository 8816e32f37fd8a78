import type { FilmPoint, ListingEvent, Movie } from '@/lib/types';
import type { FilmState } from './observe-film';

/** What one poll adds to the history, written together. */
export interface HistoryBatch {
  films: Array<{ id: string; state: FilmState }>;
  points: Array<{ id: string; point: FilmPoint }>;
  listings: Array<{ city: string; id: string; event: ListingEvent }>;
  /** Films' cards (see `toCard`) to keep, replacing the ones kept. */
  cards: Array<{ id: string; movie: Movie }>;
  /** The city's first recorded poll, to be kept (a later one never replaces it). */
  cityStarted: { city: string; at: number } | null;
}

/**
 * Where the history lives: an embedded store on disk (`createSqliteBackend`) or Redis
 * (`createRedisBackend`). `createHistory` holds the logic; a backend only stores and reads.
 */
export interface HistoryBackend {
  /** The films among `ids` that were ever seen. */
  readFilms(ids: readonly string[]): Promise<Map<string, FilmState>>;
  /** When the city's history started (null: never recorded), and its listing events by film, oldest first. */
  readCity(city: string): Promise<{ startedAt: number | null; listings: Map<string, ListingEvent[]> }>;
  /** The cards kept of the films among `ids` (a bad one is left out). */
  readCards(ids: readonly string[]): Promise<Map<string, Movie>>;
  /** One film's listing events in one city, oldest first. */
  readListing(city: string, id: string): Promise<ListingEvent[]>;
  /** A film's points from `since` on, oldest first, preceded by the last one before `since`. */
  readPoints(id: string, since: number): Promise<FilmPoint[]>;
  /**
   * Optional: only the points `computeTrend` looks at (the last of each of the last 31 Chinese days,
   * the 24-hour base and the point after it, the last 31), oldest first. A month of a popular film
   * is ~1,500 points; this is ~60. Without it, `readPoints` of the whole window is used.
   */
  readTrendPoints?(id: string, now: number): Promise<FilmPoint[]>;
  write(batch: HistoryBatch): Promise<void>;
  /** Thins every film's points (`thinPoints`) and drops films unseen since `dropBefore`, listings and cards included. */
  prune(input: { now: number; dropBefore: number }): Promise<void>;
  close(): Promise<void>;
}
