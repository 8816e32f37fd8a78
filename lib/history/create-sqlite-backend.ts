import 'server-only';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import { logEvent } from '@/lib/log';
import type { FilmPoint, ListingEvent, Movie } from '@/lib/types';
import { DAY, trendWindowStart } from './compute-trend';
import { decodeCard, encodeCard } from './film-card';
import type { HistoryBackend } from './history-backend';
import type { FilmState } from './observe-film';
import { BadHistoryEntry } from './redis-history-codec';
import { KEEP_ALL_MS, KEEP_HOURLY_MS } from './thin-points';

// One row per film (its state, its card), per point, per listing event, per city (its first poll). Ids and
// cities are text as the app has them; times are milliseconds since the epoch.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS film (
  id TEXT PRIMARY KEY, first_seen INTEGER NOT NULL, rated_at INTEGER, seen_unrated INTEGER NOT NULL,
  last_seen INTEGER NOT NULL, last_at INTEGER NOT NULL, score REAL, votes INTEGER, wish INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS point (
  id TEXT NOT NULL, at INTEGER NOT NULL, score REAL, votes INTEGER, wish INTEGER, PRIMARY KEY (id, at)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS listing (
  city TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, list TEXT, PRIMARY KEY (city, id, at)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS listing_by_film ON listing (id);
CREATE INDEX IF NOT EXISTS point_by_time ON point (at);
CREATE TABLE IF NOT EXISTS city (city TEXT PRIMARY KEY, started_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS card (id TEXT PRIMARY KEY, movie TEXT NOT NULL) WITHOUT ROWID;
`;

interface FilmRow {
  id: string;
  first_seen: number;
  rated_at: number | null;
  seen_unrated: number;
  last_seen: number;
  last_at: number;
  score: number | null;
  votes: number | null;
  wish: number | null;
}
type PointRow = Omit<FilmPoint, never>;
interface ListingRow {
  id: string;
  at: number;
  list: ListingEvent['list'];
}

const stateOf = (row: FilmRow): FilmState => ({
  firstSeenAt: row.first_seen,
  ratedAt: row.rated_at,
  seenUnrated: row.seen_unrated === 1,
  lastSeenAt: row.last_seen,
  last: { at: row.last_at, score: row.score, votes: row.votes, wish: row.wish },
});
const pointOf = (row: PointRow): FilmPoint => ({
  at: row.at,
  score: row.score,
  votes: row.votes,
  wish: row.wish,
});

/**
 * The history in an SQLite file (`libsql`: its binary comes as an npm package, nothing to compile),
 * `<dataDir>/history.sqlite`. WAL and a busy timeout let two processes share one folder (two servers
 * on one machine). Calls are synchronous and short (a poll: one transaction of a few rows).
 */
export function createSqliteBackend({ dataDir }: { dataDir: string }): HistoryBackend {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'history.sqlite');
  }
  const db = new Database(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
  db.exec(SCHEMA);

  const upsertFilm = db.prepare(`INSERT INTO film VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET rated_at = excluded.rated_at, seen_unrated = excluded.seen_unrated,
    last_seen = excluded.last_seen, last_at = excluded.last_at, score = excluded.score,
    votes = excluded.votes, wish = excluded.wish`);
  const insertPoint = db.prepare('INSERT OR REPLACE INTO point VALUES (?, ?, ?, ?, ?)');
  const insertListing = db.prepare('INSERT OR REPLACE INTO listing VALUES (?, ?, ?, ?)');
  const insertCity = db.prepare('INSERT OR IGNORE INTO city VALUES (?, ?)');
  const upsertCard = db.prepare('INSERT OR REPLACE INTO card VALUES (?, ?)');
  const selectCard = db.prepare('SELECT movie FROM card WHERE id = ?');
  const selectFilm = db.prepare('SELECT * FROM film WHERE id = ?');
  const selectCity = db.prepare('SELECT started_at FROM city WHERE city = ?');
  const selectListings = db.prepare('SELECT id, at, list FROM listing WHERE city = ? ORDER BY id, at');
  const selectListing = db.prepare('SELECT id, at, list FROM listing WHERE city = ? AND id = ? ORDER BY at');
  const selectBefore = db.prepare(
    'SELECT at, score, votes, wish FROM point WHERE id = ? AND at < ? ORDER BY at DESC LIMIT 1',
  );
  const selectSince = db.prepare(
    'SELECT at, score, votes, wish FROM point WHERE id = ? AND at >= ? ORDER BY at',
  );
  // The points a trend reads: each Chinese day's last (days start at 16:00 UTC), the 24-hour base and
  // the one after it, and the last 31. UNION drops the repeats; the primary key orders them.
  const selectTrendPoints = db.prepare(`
    SELECT at, score, votes, wish FROM point WHERE id = :id AND at IN (
      SELECT max(at) FROM point WHERE id = :id AND at >= :since GROUP BY (at + 28800000) / 86400000
      UNION SELECT max(at) FROM point WHERE id = :id AND at < :since
      UNION SELECT max(at) FROM point WHERE id = :id AND at <= :base
      UNION SELECT min(at) FROM point WHERE id = :id AND at > :base
      UNION SELECT at FROM (SELECT at FROM point WHERE id = :id ORDER BY at DESC LIMIT 31)
    ) ORDER BY at`);
  // Thinning in place: a point older than a week is dropped when a later one shares its hour (older
  // than a month: its day), unless it is the film's first.
  const thin = (from: number, to: number, bucket: number) =>
    db
      .prepare(`DELETE FROM point WHERE at >= ? AND at < ?
        AND EXISTS (SELECT 1 FROM point q WHERE q.id = point.id AND q.at > point.at AND q.at / ${bucket} = point.at / ${bucket})
        AND at > (SELECT min(at) FROM point r WHERE r.id = point.id)`)
      .run(from, to);
  const dropFilms = db.transaction((before: number) => {
    db.prepare('DELETE FROM point WHERE id IN (SELECT id FROM film WHERE last_seen < ?)').run(before);
    db.prepare('DELETE FROM listing WHERE id IN (SELECT id FROM film WHERE last_seen < ?)').run(before);
    db.prepare('DELETE FROM card WHERE id IN (SELECT id FROM film WHERE last_seen < ?)').run(before);
    db.prepare('DELETE FROM film WHERE last_seen < ?').run(before);
  });

  const write = db.transaction((batch: Parameters<HistoryBackend['write']>[0]) => {
    for (const { id, state } of batch.films) {
      const { last } = state;
      upsertFilm.run(
        id,
        state.firstSeenAt,
        state.ratedAt,
        state.seenUnrated ? 1 : 0,
        state.lastSeenAt,
        last.at,
        last.score,
        last.votes,
        last.wish,
      );
    }
    for (const { id, point } of batch.points)
      insertPoint.run(id, point.at, point.score, point.votes, point.wish);
    for (const { city, id, event } of batch.listings) insertListing.run(city, id, event.at, event.list);
    for (const { id, movie } of batch.cards) upsertCard.run(id, encodeCard(movie));
    if (batch.cityStarted) insertCity.run(batch.cityStarted.city, batch.cityStarted.at);
  });

  // Each pass looks only at the points that crossed a line since the last pass (the first pass of a
  // process, at all of them): a pass is then a few index lookups, not a scan of every film.
  let thinnedAt = 0;
  const thinAll = db.transaction((now: number) => {
    const since = (line: number) => (thinnedAt === 0 ? 0 : thinnedAt - line - DAY);
    thin(Math.max(since(KEEP_ALL_MS), now - KEEP_HOURLY_MS), now - KEEP_ALL_MS, 3_600_000);
    thin(since(KEEP_HOURLY_MS), now - KEEP_HOURLY_MS, DAY);
    thinnedAt = now;
  });

  return {
    async readFilms(ids) {
      const found = new Map<string, FilmState>();
      for (const id of ids) {
        const row = selectFilm.get(id) as FilmRow | undefined;
        if (row) found.set(id, stateOf(row));
      }
      return found;
    },
    async readCity(city) {
      const row = selectCity.get(city) as { started_at: number } | undefined;
      const listings = new Map<string, ListingEvent[]>();
      for (const { id, at, list } of selectListings.all(city) as ListingRow[]) {
        const events = listings.get(id) ?? [];
        events.push({ at, list });
        listings.set(id, events);
      }
      return { startedAt: row?.started_at ?? null, listings };
    },
    async readCards(ids) {
      const found = new Map<string, Movie>();
      for (const id of ids) {
        const row = selectCard.get(id) as { movie: string } | undefined;
        if (!row) continue;
        try {
          found.set(id, decodeCard(row.movie));
        } catch (error) {
          if (!(error instanceof BadHistoryEntry)) throw error;
          logEvent('warn', 'bad-history-entry', { key: `card ${id}`, why: error.message });
        }
      }
      return found;
    },
    async readListing(city, id) {
      return (selectListing.all(city, id) as ListingRow[]).map(({ at, list }) => ({ at, list }));
    },
    async readPoints(id, since) {
      const before = selectBefore.get(id, since) as PointRow | undefined;
      const after = (selectSince.all(id, since) as PointRow[]).map(pointOf);
      return before ? [pointOf(before), ...after] : after;
    },
    async readTrendPoints(id, now) {
      return (selectTrendPoints.all({ id, since: trendWindowStart(now), base: now - DAY }) as PointRow[]).map(
        pointOf,
      );
    },
    async write(batch) {
      write(batch);
    },
    async prune({ now, dropBefore }) {
      dropFilms(dropBefore);
      thinAll(now);
    },
    async close() {
      db.close();
    },
  };
}
