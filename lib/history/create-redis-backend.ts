import 'server-only';
import { openCommandConnection } from '@/lib/redis/open-command-connection';
import type { Movie } from '@/lib/types';
import { createReplyReader } from './create-reply-reader';
import { decodeCard, encodeCard } from './film-card';
import type { HistoryBackend, HistoryBatch } from './history-backend';
import type { FilmState } from './observe-film';
import * as codec from './redis-history-codec';
import { type Command, chunks, runCommands, WRONG_TYPE } from './run-redis-commands';
import { KEEP_ALL_MS, thinPoints } from './thin-points';

const TIMEOUT_MS = 2_000;
/** Films per pipeline while pruning, and members per ZREM. */
const CHUNK = 100;
/** The point before a time is read among this many, so that a bad member there hides no good one. */
const BEFORE_CANDIDATES = 8;

/**
 * The history in Redis (any Redis 6+), on a connection of its own, written only by the instance
 * that polls the city, read by all. Keys under `<prefix>history:`: per film a hash (its state), a
 * sorted set of points (score: `at`), its card (JSON) and the set of cities that listed it; per city and film a
 * sorted set of listing events; per city the set of films it listed and its first poll (`SET NX`);
 * one sorted set of films by when they were last seen. A poll's batch is one MULTI/EXEC; a read one
 * pipeline (`readCity`: two). A value we could not have written is skipped and logged once.
 */
export function createRedisBackend({ url, prefix }: { url: string; prefix: string }): HistoryBackend {
  const base = `${prefix}history:`;
  const keys = {
    film: (id: string) => `${base}film:${id}`,
    points: (id: string) => `${base}points:${id}`,
    cities: (id: string) => `${base}cities:${id}`,
    card: (id: string) => `${base}card:${id}`,
    listing: (city: string, id: string) => `${base}listing:${city}:${id}`,
    films: (city: string) => `${base}films:${city}`,
    started: (city: string) => `${base}started:${city}`,
    seen: `${base}seen`,
  };
  const { redis, opened } = openCommandConnection(url, {
    connectTimeoutMs: TIMEOUT_MS,
    commandTimeoutMs: TIMEOUT_MS,
  });
  const pipeline = async (commands: Command[]) => {
    await opened;
    return runCommands(redis.pipeline(commands));
  };
  const transaction = async (commands: Command[]) => {
    await opened;
    return runCommands(redis.multi(commands));
  };

  const { warnOnce, read, members, values } = createReplyReader();
  const listingCommand = (city: string, id: string): Command => [
    'zrange',
    keys.listing(city, id),
    0,
    -1,
    'WITHSCORES',
  ];

  /** A batch as commands, validated before anything is sent; each command can be run twice. */
  const commandsOf = (batch: HistoryBatch): Command[] => {
    const commands: Command[] = [];
    for (const { id, state } of batch.films) {
      const fields = Object.entries(codec.encodeFilmState(state)).flat();
      commands.push(['del', keys.film(id)], ['hset', keys.film(id), ...fields]);
      commands.push(['zadd', keys.seen, state.lastSeenAt, id]);
    }
    // One point per film and time, one event per city, film and time: SQLite's primary keys.
    for (const { id, point } of batch.points) {
      const member = codec.encodePoint(point);
      commands.push(['zremrangebyscore', keys.points(id), point.at, point.at]);
      commands.push(['zadd', keys.points(id), point.at, member]);
    }
    for (const { city, id, event } of batch.listings) {
      const member = codec.encodeListingEvent(event);
      commands.push(['zremrangebyscore', keys.listing(city, id), event.at, event.at]);
      commands.push(['zadd', keys.listing(city, id), event.at, member]);
      commands.push(['sadd', keys.films(city), id], ['sadd', keys.cities(id), city]);
    }
    for (const { id, movie } of batch.cards) commands.push(['set', keys.card(id), encodeCard(movie)]);
    const started = batch.cityStarted;
    if (started) commands.push(['set', keys.started(started.city), codec.encodeTime(started.at), 'NX']);
    return commands;
  };

  const dropFilms = async (ids: string[]) => {
    const cities = await pipeline(ids.map((id) => ['smembers', keys.cities(id)]));
    const commands: Command[] = [];
    ids.forEach((id, i) => {
      for (const city of read(keys.cities(id), cities[i] as string[], (list) => list) ?? [])
        commands.push(['del', keys.listing(city, id)], ['srem', keys.films(city), id]);
      commands.push(['del', keys.film(id), keys.points(id), keys.cities(id), keys.card(id)]);
      commands.push(['zrem', keys.seen, id]);
    });
    await transaction(commands);
  };

  // Thinning only removes points older than KEEP_ALL_MS: it reads those and the first one after
  // them (whether a point is the last of its hour or day depends on the next), not the whole week.
  const thinFilms = async (ids: string[], now: number) => {
    const cutoff = now - KEEP_ALL_MS;
    const replies = await pipeline(
      ids.flatMap((id): Command[] => [
        ['zrangebyscore', keys.points(id), '-inf', `(${cutoff}`, 'WITHSCORES'],
        ['zrangebyscore', keys.points(id), cutoff, '+inf', 'WITHSCORES', 'LIMIT', 0, 1],
      ]),
    );
    const removals: Command[] = [];
    ids.forEach((id, i) => {
      const key = keys.points(id);
      const old = members(key, replies[2 * i], codec.decodePoint);
      const next = members(key, replies[2 * i + 1], codec.decodePoint);
      const kept = new Set(thinPoints(values([...old, ...next]), now).map(({ at }) => at));
      // What is not a point goes too: it is nothing the history could show.
      const gone = old.filter(({ value }) => !value || !kept.has(value.at)).map(({ member }) => member);
      for (const part of chunks(gone, CHUNK)) removals.push(['zrem', key, ...part]);
    });
    if (removals.length > 0) await pipeline(removals);
  };

  return {
    async readFilms(ids) {
      const found = new Map<string, FilmState>();
      if (ids.length === 0) return found;
      const replies = await pipeline(ids.map((id) => ['hgetall', keys.film(id)]));
      ids.forEach((id, i) => {
        const hash = replies[i] as Record<string, string> | typeof WRONG_TYPE;
        if (hash !== WRONG_TYPE && Object.keys(hash).length === 0) return;
        const state = read(keys.film(id), hash, codec.decodeFilmState);
        if (state) found.set(id, state);
      });
      return found;
    },
    async readCity(city) {
      const [started, listed] = await pipeline([
        ['get', keys.started(city)],
        ['smembers', keys.films(city)],
      ]);
      const startedAt =
        started === null ? null : (read(keys.started(city), started as string, codec.decodeTime) ?? null);
      const ids = (read(keys.films(city), listed as string[], (list) => list) ?? []).flatMap(
        (member) => read(keys.films(city), member, codec.decodeFilmId, member) ?? [],
      );
      const replies = ids.length > 0 ? await pipeline(ids.map((id) => listingCommand(city, id))) : [];
      const listings = new Map(
        ids.map((id, i) => [
          id,
          values(members(keys.listing(city, id), replies[i], codec.decodeListingEvent)),
        ]),
      );
      for (const [id, events] of listings) if (events.length === 0) listings.delete(id);
      return { startedAt, listings };
    },
    async readCards(ids) {
      const found = new Map<string, Movie>();
      if (ids.length === 0) return found;
      const replies = await pipeline(ids.map((id) => ['get', keys.card(id)]));
      ids.forEach((id, i) => {
        const reply = replies[i] as string | null | typeof WRONG_TYPE;
        if (reply === null) return;
        const card = read(keys.card(id), reply, decodeCard);
        if (card) found.set(id, card);
      });
      return found;
    },
    async readListing(city, id) {
      const [reply] = await pipeline([listingCommand(city, id)]);
      return values(members(keys.listing(city, id), reply, codec.decodeListingEvent));
    },
    async readPoints(id, since) {
      const key = keys.points(id);
      const [before, after] = await pipeline([
        ['zrevrangebyscore', key, `(${since}`, '-inf', 'WITHSCORES', 'LIMIT', 0, BEFORE_CANDIDATES],
        ['zrangebyscore', key, since, '+inf', 'WITHSCORES'],
      ]);
      const previous = values(members(key, before, codec.decodePoint)).slice(0, 1);
      return [...previous, ...values(members(key, after, codec.decodePoint))];
    },
    async write(batch) {
      const commands = commandsOf(batch);
      if (commands.length === 0) return;
      const replies = await transaction(commands);
      const wrong = commands.filter((_, i) => replies[i] === WRONG_TYPE).map(([, key]) => key);
      if (wrong.length === 0) return;
      // A key of ours holding another type is garbage: replaced, so that the batch is written whole.
      for (const key of new Set(wrong)) warnOnce(key, 'wrong type, replaced');
      const again = await transaction([...wrong.map((key): Command => ['del', key]), ...commands]);
      if (again.includes(WRONG_TYPE)) throw new Error('history write: a key changed type meanwhile');
    },
    async prune({ now, dropBefore }) {
      const [forgotten] = await pipeline([['zrangebyscore', keys.seen, '-inf', `(${dropBefore}`]]);
      const list = (reply: unknown) => read(keys.seen, reply as string[], (ids) => ids) ?? [];
      for (const ids of chunks(list(forgotten), CHUNK)) await dropFilms(ids);
      const [all] = await pipeline([['zrange', keys.seen, 0, -1]]);
      for (const ids of chunks(list(all), CHUNK)) await thinFilms(ids, now);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
