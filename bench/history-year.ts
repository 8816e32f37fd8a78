// What a year of history weighs on disk for Douban's 343 cities: the real store (SQLite), the real
// `record`, the real parser's Shanghai page as the shape of every movie, synthetic time. Part of
// `npm run bench:history`, after history-cost.ts.
//
// The model. A national pool of films: ~12 new ones a week (most on Fridays), each in Douban's
// upcoming list (the same ten nearest releases in every city, as the Shanghai and Shangrao pages
// show) until its release, then playing nationally for 2–6 weeks (60 %), 6–12 (30 %) or 12–26 (10 %:
// revivals and art-house films, shown in big cities only). A city lists a playing film when the film is
// popular enough for it (its reach: 1 for Beijing and Shanghai, 0.6–1 for the other hot cities,
// 0.2–0.7 for the rest), for a shorter run the smaller it is. Shanghai then lists ~87 playing + 10
// upcoming, the median city ~22 + 10 (the fixtures: Shanghai 85 + 10, Shangrao 21 + 10). Lists change
// at Chinese midnight. Every count moves between any two points (an upper bound on points); a tenth
// of the rated films' scores move each day.
//
// The shortcut (343 cities × 8,760 hourly polls would be 3 million `record` calls):
// - A film's points are kept once, whatever the city, and at most one every 10 minutes for counts:
//   with 343 cities polled (every ~3 minutes each at the default 120 requests a minute) a listed film
//   is seen every few seconds, so it gets a point every ~10 minutes. After thinning the store keeps
//   every point of the last 7 days, the last of each hour to 30 days, the last of each day before:
//   the hot city that lists every film (Shanghai) is recorded with `record` every 6 hours to 31 days
//   before the end, hourly to 7 days before, every 10 minutes for the last 7 days and an hour. The
//   check below runs 36 days of 5 films at several poll rates to show that this keeps what polling
//   every 10 minutes keeps, and polling every minute nearly (3 % fewer points: gaps of 10-11 minutes).
// - Five more cities of every size go through `record` once a day, just after Shanghai (lists change
//   only at midnight, and a city polled within 10 minutes of another adds no point): they show what a
//   city adds, its listing rows (entries and exits) and its row, and nothing else (counted).
// - The other 337 cities write those rows straight to the backend (`write`, the call `record` ends
//   in), computed by `diffListing` as `record` computes them: cross-checked on the five.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { listCities } from '../lib/cities/list-cities';
import { parseNowPlaying } from '../lib/douban/parse-now-playing';
import { startOfChinaDay } from '../lib/history/compute-trend';
import { createHistory } from '../lib/history/create-history';
import { createSqliteBackend } from '../lib/history/create-sqlite-backend';
import { diffListing } from '../lib/history/diff-listing';
import type { HistoryBackend, HistoryBatch } from '../lib/history/history-backend';
import type { Movie, MovieCategory, NowPlayingPage } from '../lib/types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR_DAYS = 365;
const NATIONAL = 'shanghai';
const SAMPLED = ['beijing', 'chengdu', 'ningbo', 'shangrao', 'aletai'];
const UPCOMING_LISTED = 10;

const root = path.join(import.meta.dirname, '..');
const shanghai = parseNowPlaying(
  readFileSync(path.join(root, 'fixtures/douban/nowplaying-shanghai.html'), 'utf8'),
);
// `createHistory` starts its pruning clock at the wall clock's now: synthetic time starts after it,
// at a Chinese midnight.
const start = startOfChinaDay(Date.now()) + 2 * DAY;

/** A seeded generator (mulberry32): the same model on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const between = (next: () => number, low: number, high: number) => low + (high - low) * next();
const logBetween = (next: () => number, low: number, high: number) =>
  Math.exp(between(next, Math.log(low), Math.log(high)));

interface Film {
  id: string;
  index: number;
  /** Its first day playing (days from the start; negative: before it). */
  release: number;
  /** Its national run, in days. */
  run: number;
  /** A city lists it playing when its reach is at least 1 − popularity. */
  popularity: number;
  /** Days after release it gets a score; null: never (too few ratings). */
  ratedAfter: number | null;
  score: number;
  wish: number;
  votes: number;
  wishPerMinute: number;
  votesPerMinute: number;
  template: Movie;
}

interface CityModel {
  slug: string;
  reach: number;
  /** The share of a film's national run it is listed here. */
  runShare: number;
}

function makeFilms(): Film[] {
  const next = random(11);
  const films: Film[] = [];
  // Weeks before the start too, so the first day's lists are full (films already playing).
  for (let week = -30; week < 60; week++) {
    const arrivals = 10 + Math.floor(next() * 5);
    for (let i = 0; i < arrivals; i++) {
      const kind = next();
      const long = kind >= 0.9;
      const run = Math.round(
        kind < 0.6 ? between(next, 14, 42) : long ? between(next, 84, 182) : between(next, 42, 84),
      );
      films.push({
        id: '',
        index: films.length,
        release: week * 7 + (next() < 0.7 ? 4 : Math.floor(next() * 7)),
        run,
        popularity: long ? 0.3 * next() : next(),
        ratedAfter: next() < 0.15 ? null : 2 + Math.floor(next() * 6),
        score: Math.round(between(next, 4, 9) * 10) / 10,
        wish: Math.round(logBetween(next, 500, 300_000)),
        votes: Math.round(logBetween(next, 20, 2_000)),
        // At least 1.5 per 10 minutes: every count moves between any two points (an upper bound).
        wishPerMinute: logBetween(next, 0.15, 5),
        votesPerMinute: logBetween(next, 0.15, 20),
        template: shanghai.nowPlaying[films.length % shanghai.nowPlaying.length] as Movie,
      });
    }
  }
  return films.filter((film) => film.release + film.run > 0 && film.release - 60 < YEAR_DAYS);
}

function makeCities(): CityModel[] {
  const next = random(23);
  return listCities().map(({ slug, hot }) => {
    const reach =
      slug === 'beijing' || slug === 'shanghai'
        ? 1
        : slug === 'shangrao'
          ? 0.5
          : hot
            ? between(next, 0.6, 1)
            : between(next, 0.2, 0.7);
    return { slug, reach, runShare: reach === 1 ? 1 : 0.6 + 0.4 * reach };
  });
}

/** Each day's upcoming list: the ten nearest releases, the same in every city. */
function upcomingByDay(films: readonly Film[]): Film[][] {
  const byRelease = [...films].sort((a, b) => a.release - b.release || a.index - b.index);
  const days: Film[][] = [];
  for (let day = 0; day <= YEAR_DAYS; day++) {
    days.push(byRelease.filter((film) => film.release > day).slice(0, UPCOMING_LISTED));
  }
  return days;
}

/** What a city lists on `day`: the films and their lists. */
function listingOf(city: CityModel, films: readonly Film[], upcoming: readonly Film[], day: number) {
  const playing = films.filter(
    (film) =>
      film.popularity >= 1 - city.reach &&
      day >= film.release &&
      day < film.release + Math.max(7, Math.round(film.run * city.runShare)),
  );
  return { playing, upcoming };
}

/** The movie a page shows of `film` at `at` (day `day`): the template's shape, the model's values. */
function movieOf(film: Film, category: MovieCategory, at: number, day: number): Movie {
  const minutes = (at - start) / MINUTE;
  const url = `https://movie.douban.com/subject/${film.id}/`;
  const ticketUrl = `https://movie.douban.com/ticket/redirect/?movie_id=${film.id}`;
  if (category === 'upcoming') {
    const shape = shanghai.upcoming[film.index % shanghai.upcoming.length] as Movie;
    return {
      ...shape,
      id: film.id,
      url,
      ticketUrl,
      category,
      score: null,
      stars: null,
      votes: null,
      wish: film.wish + Math.floor(film.wishPerMinute * minutes),
    };
  }
  const base = { ...film.template, id: film.id, url, ticketUrl, releaseDate: null };
  const sinceRelease = (at - (start + film.release * DAY)) / MINUTE;
  const rated = film.ratedAfter !== null && day >= film.release + film.ratedAfter;
  // A tenth of the rated films' scores move each day (±0.1, back and forth).
  const wobble = Math.floor((day + film.index) / 10) % 3;
  const score = rated ? Math.min(10, Math.round((film.score + 0.1 * (wobble - 1)) * 10) / 10) : null;
  return {
    ...base,
    category,
    score,
    stars: score === null ? null : Math.round(score) * 5,
    votes: film.votes + Math.max(0, Math.floor(film.votesPerMinute * sinceRelease)),
    wish: null,
  };
}

function pageOf(listing: ReturnType<typeof listingOf>, at: number, day: number): NowPlayingPage {
  return {
    nowPlaying: listing.playing.map((film) => movieOf(film, 'nowplaying', at, day)),
    upcoming: listing.upcoming.map((film) => movieOf(film, 'upcoming', at, day)),
  };
}

/** Ids: the fixture's own for the films listed on the first day, new 8-digit ones (as Douban's are) after. */
function assignIds(films: Film[], national: CityModel, upcoming: Film[][]): void {
  const first = listingOf(national, films, upcoming[0] as Film[], 0);
  const real = [...shanghai.nowPlaying, ...shanghai.upcoming];
  const taken = new Set<Film>();
  first.playing.forEach((film, i) => {
    const movie = shanghai.nowPlaying[i];
    if (movie) {
      film.id = movie.id;
      film.template = movie;
      taken.add(film);
    }
  });
  first.upcoming.forEach((film, i) => {
    const movie = shanghai.upcoming[i];
    if (movie) {
      film.id = movie.id;
      if (movie.wish !== null) film.wish = movie.wish;
      taken.add(film);
    }
  });
  const used = new Set(real.map((movie) => movie.id));
  let id = 37_200_000;
  for (const film of films) {
    if (taken.has(film)) continue;
    while (used.has(String(id))) id += 1;
    film.id = String(id);
    id += 7;
  }
}

/**
 * The poll times, from `start`: every 6 hours, then hourly from 31 days before the end, then every
 * `step` (± `jitter`) for the last 7 days and an hour: the store keeps all of the last 7 days' points,
 * the last of each hour to 30 days, the last of each day before.
 */
function phased(days: number, step: number, jitter = 0, seed = 5): number[] {
  const next = random(seed);
  const hourly = (days - 31) * DAY;
  const fine = (days - 7) * DAY - HOUR;
  const times: number[] = [];
  for (let t = 0; t < hourly; t += 6 * HOUR) times.push(t);
  for (let t = Math.max(0, hourly); t < fine; t += HOUR) times.push(t);
  for (let t = fine; t < days * DAY; t += step * (1 + jitter * (2 * next() - 1))) times.push(Math.round(t));
  return times.map((t) => start + t);
}
const every = (days: number, step: number) =>
  Array.from({ length: Math.ceil((days * DAY) / step) }, (_, i) => start + i * step);

interface FileSize {
  /** page_count × page_size as the store left it (checkpointed), with its free pages. */
  raw: number;
  free: number;
  /** page_count × page_size after VACUUM (= the file's size). */
  vacuumed: number;
  file: number;
  tables: Map<string, number>;
  rows: { film: number; point: number; listing: number; city: number };
}

/** Measures the closed store's file: checkpointed, then vacuumed; bytes by table and index (dbstat). */
function measureFile(file: string): FileSize {
  const db = new Database(file);
  const pragma = (name: string) =>
    (db.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[name] as number;
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const raw = pragma('page_count') * pragma('page_size');
  const free = pragma('freelist_count') * pragma('page_size');
  db.exec('VACUUM');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const vacuumed = pragma('page_count') * pragma('page_size');
  const tables = new Map<string, number>();
  for (const row of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Array<{
    name: string;
    bytes: number;
  }>)
    tables.set(row.name, row.bytes);
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const rows = { film: count('film'), point: count('point'), listing: count('listing'), city: count('city') };
  db.close();
  return { raw, free, vacuumed, file: statSync(file).size, tables, rows };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const int = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * The check: 5 films listed for 36 days in one city, every count moving, at several poll rates. What
 * the store keeps at the end, by age, and its bytes.
 */
async function checkPollRates(): Promise<void> {
  const days = 36;
  const films = makeFilms().slice(0, 5);
  films.forEach((film, i) => {
    film.id = String(37_100_000 + i);
    film.release = -10;
    film.ratedAfter = 1;
  });
  const schedules: Array<[string, number[]]> = [
    ['every 10 minutes', every(days, 10 * MINUTE)],
    ['as the year runs (6 h, 1 h, 10 min)', phased(days, 10 * MINUTE)],
    ['the same, the last week every minute ± 10 %', phased(days, MINUTE, 0.1)],
    ['every hour', every(days, HOUR)],
  ];
  console.log(`\npoll rate check: ${films.length} films listed for ${days} days, every count moving`);
  for (const [name, times] of schedules) {
    const began = performance.now();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'history-year-check-'));
    const history = createHistory({ backend: createSqliteBackend({ dataDir }) });
    for (const at of times) {
      const day = Math.floor((at - start) / DAY);
      await history.record({ city: NATIONAL, page: pageOf({ playing: films, upcoming: [] }, at, day), at });
    }
    await history.close();
    const file = path.join(dataDir, 'history.sqlite');
    const db = new Database(file);
    const end = times.at(-1) as number;
    const band = (from: number, to: number) =>
      (
        db.prepare('SELECT count(*) AS n FROM point WHERE at > ? AND at <= ?').get(end - to, end - from) as {
          n: number;
        }
      ).n;
    const bands = [band(0, 7 * DAY), band(7 * DAY, 30 * DAY), band(30 * DAY, 1e15)];
    db.close();
    const size = measureFile(file);
    rmSync(dataDir, { recursive: true, force: true });
    console.log(
      `  ${name.padEnd(42)} ${int(times.length).padStart(6)} polls: points kept ${int(size.rows.point).padStart(6)} (last 7 days ${int(bands[0] as number)}, 7–30 days ${int(bands[1] as number)}, older ${int(bands[2] as number)}), ${kb(size.vacuumed)} vacuumed, ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
  }
}

async function measureYear(): Promise<void> {
  const began = performance.now();
  const cpu = process.cpuUsage();
  const films = makeFilms();
  const cities = makeCities();
  const upcoming = upcomingByDay(films);
  const national = cities.find((city) => city.slug === NATIONAL) as CityModel;
  assignIds(films, national, upcoming);
  const sampled = SAMPLED.map((slug) => cities.find((city) => city.slug === slug) as CityModel);
  const direct = cities.filter((city) => city !== national && !SAMPLED.includes(city.slug));

  const dataDir = mkdtempSync(path.join(tmpdir(), 'history-year-'));
  const backend = createSqliteBackend({ dataDir });
  // What the sampled cities' polls write besides listings: expected none.
  let polling: 'national' | 'sampled' = 'national';
  const extra = { films: 0, points: 0 };
  const counted: HistoryBackend = {
    ...backend,
    write: async (batch) => {
      if (polling === 'sampled') {
        extra.films += batch.films.length;
        extra.points += batch.points.length;
      }
      return backend.write(batch);
    },
  };
  const history = createHistory({ backend: counted });
  // Each city's lists as its last events left them, as `record` reads them from the store.
  const current = new Map<string, Map<string, MovieCategory | null>>();
  const currentOf = (slug: string) => {
    let lists = current.get(slug);
    if (!lists) {
      lists = new Map();
      current.set(slug, lists);
    }
    return lists;
  };
  const expected = new Map<string, number>(SAMPLED.map((slug) => [slug, 0]));
  const sizes: number[][] = [];
  const nationalSizes: number[] = [];

  let lastDay = -1;
  let polls = 0;
  const spent = { national: 0, sampled: 0, direct: 0 };
  /** How long Shanghai's polls took in the last week (a point for every film at every poll). */
  const lastWeek: number[] = [];
  const lastWeekFrom = start + (YEAR_DAYS - 7) * DAY;
  for (const at of phased(YEAR_DAYS, 10 * MINUTE)) {
    const day = Math.floor((at - start) / DAY);
    polling = 'national';
    let began = performance.now();
    const listed = listingOf(national, films, upcoming[day] as Film[], day);
    await history.record({ city: NATIONAL, page: pageOf(listed, at, day), at });
    const took = performance.now() - began;
    spent.national += took;
    if (at >= lastWeekFrom) lastWeek.push(took);
    polls += 1;
    if (day === lastDay) continue;
    lastDay = day;
    nationalSizes.push(listed.playing.length + listed.upcoming.length);
    // Once a day, at midnight when the lists change, just after Shanghai: every other city.
    polling = 'sampled';
    began = performance.now();
    const daySizes: number[] = [];
    const today = films.filter((film) => day >= film.release && day < film.release + film.run);
    for (const [i, city] of sampled.entries()) {
      const when = at + (i + 1) * 1000;
      const listing = listingOf(city, today, upcoming[day] as Film[], day);
      daySizes.push(listing.playing.length + listing.upcoming.length);
      const page = pageOf(listing, when, day);
      const events = diffListing(currentOf(city.slug), page, when);
      for (const { id, event } of events) currentOf(city.slug).set(id, event.list);
      expected.set(city.slug, (expected.get(city.slug) ?? 0) + events.length);
      await history.record({ city: city.slug, page, at: when });
      polls += 1;
    }
    spent.sampled += performance.now() - began;
    began = performance.now();
    // The others' listing rows and city row, as `record` would write them (lists hold only id and list).
    const movies = new Map<Film, Movie>();
    const shown = (film: Film, category: MovieCategory) => {
      let movie = movies.get(film);
      if (!movie || movie.category !== category) {
        movie = { ...(movie ?? film.template), id: film.id, category };
        movies.set(film, movie);
      }
      return movie;
    };
    const listings: HistoryBatch['listings'] = [];
    for (const [i, city] of direct.entries()) {
      const when = at + (sampled.length + i + 1) * 1000;
      const listing = listingOf(city, today, upcoming[day] as Film[], day);
      daySizes.push(listing.playing.length + listing.upcoming.length);
      const page: NowPlayingPage = {
        nowPlaying: listing.playing.map((film) => shown(film, 'nowplaying')),
        upcoming: listing.upcoming.map((film) => shown(film, 'upcoming')),
      };
      const events = diffListing(currentOf(city.slug), page, when);
      for (const { id, event } of events) {
        currentOf(city.slug).set(id, event.list);
        listings.push({ city: city.slug, id, event });
      }
      // A city's first poll also keeps when its history starts.
      if (day === 0) {
        await backend.write({
          films: [],
          points: [],
          listings: listings.splice(0),
          cards: [],
          cityStarted: { city: city.slug, at: when },
        });
      }
    }
    // The same rows `record` would write poll by poll, in one transaction a day.
    if (listings.length > 0)
      await backend.write({ films: [], points: [], listings, cards: [], cityStarted: null });
    spent.direct += performance.now() - began;
    sizes.push(daySizes);
  }
  await history.close();
  const seconds = (performance.now() - began) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const cpuSeconds = (user + system) / 1e6;

  const file = path.join(dataDir, 'history.sqlite');
  const db = new Database(file);
  const listingRows = (city: string) =>
    (db.prepare('SELECT count(*) AS n FROM listing WHERE city = ?').get(city) as { n: number }).n;
  const nationalRows = listingRows(NATIONAL);
  const sampledRows = SAMPLED.map((slug) => [slug, listingRows(slug), expected.get(slug)] as const);
  db.close();
  const size = measureFile(file);
  rmSync(dataDir, { recursive: true, force: true });

  const table = (...names: string[]) => names.reduce((sum, name) => sum + (size.tables.get(name) ?? 0), 0);
  const filmBytes = table('film', 'point', 'point_by_time');
  const cityBytes = table('listing', 'listing_by_film', 'city');
  // Films listed per city, averaged over the year.
  const averages = (sizes[0] as number[]).map(
    (_, city) => sizes.reduce((sum, day) => sum + (day[city] as number), 0) / sizes.length,
  );
  averages.sort((a, b) => a - b);
  const median = (values: readonly number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  console.log(
    `\na year (${YEAR_DAYS} days) of ${cities.length} cities: ${int(films.length)} films in the model, ${int(polls)} record() calls, ${seconds.toFixed(0)} s, CPU ${cpuSeconds.toFixed(0)} s (${NATIONAL} ${(spent.national / 1000).toFixed(0)} s, ${sampled.length} sampled cities ${(spent.sampled / 1000).toFixed(0)} s, ${direct.length} others ${(spent.direct / 1000).toFixed(0)} s)`,
  );
  console.log(
    `  films listed at a time, averaged over the year: ${NATIONAL} ${(nationalSizes.reduce((sum, n) => sum + n, 0) / nationalSizes.length).toFixed(0)} (${UPCOMING_LISTED} of them upcoming); the other cities: median ${median(averages).toFixed(0)}, smallest ${(averages[0] as number).toFixed(0)}, largest ${(averages.at(-1) as number).toFixed(0)}`,
  );
  console.log(
    `  ${NATIONAL}'s poll in the last week (a point for each of its films at every poll): median ${median(lastWeek).toFixed(1)} ms over ${lastWeek.length} polls`,
  );
  console.log(
    `  sampled cities through record(): listing rows ${sampledRows.map(([slug, rows, want]) => `${slug} ${rows}${rows === want ? '' : ` (diffListing: ${want})`}`).join(', ')}; their polls wrote ${extra.points} points and ${extra.films} film rows`,
  );
  console.log(
    `  store at the end: ${int(size.rows.film)} films, ${int(size.rows.point)} points kept (${(size.rows.point / size.rows.film).toFixed(0)} a film), ${int(size.rows.listing)} listing rows (${(size.rows.listing / size.rows.city).toFixed(0)} a city, ${NATIONAL} ${nationalRows}), ${size.rows.city} cities`,
  );
  console.log(
    `  file: ${int(size.vacuumed)} bytes (${mb(size.vacuumed)}) after VACUUM (page_count × page_size${size.file === size.vacuumed ? ', the file size' : `; file ${int(size.file)}`}); as left, before it: ${mb(size.raw)} (${mb(size.free)} of it free pages, the rest part-filled pages)`,
  );
  console.log(
    `  by table: points ${mb(table('point'))} + their time index ${mb(table('point_by_time'))}, films ${kb(table('film'))}, listings ${mb(table('listing'))} + their film index ${mb(table('listing_by_film'))}, cities ${kb(table('city'))}`,
  );
  console.log(
    `  bytes per film: ${int(size.vacuumed / size.rows.film)} (${kb(size.vacuumed / size.rows.film)}): ${kb(filmBytes / size.rows.film)} its points and row, whatever the cities, ${kb(cityBytes / size.rows.film)} its listings in ${cities.length} cities`,
  );
  console.log(
    `  a year of ${cities.length} cities: ${mb(size.vacuumed)} measured; each city adds ${kb(cityBytes / size.rows.city)} a year (its listing rows); ${NATIONAL} alone (every film, its own listings): ~${mb(filmBytes + (cityBytes * nationalRows) / size.rows.listing)}`,
  );
}

async function main(): Promise<void> {
  await checkPollRates();
  await measureYear();
}

void main();
