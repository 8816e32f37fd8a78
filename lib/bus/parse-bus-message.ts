import 'server-only';
import type { BoardSnapshot, BoardStatus, BoardUpdate, Movie } from '@/lib/types';
import type { BusMessage } from './bus';

/** A message read from the shared store that is not one we could have written. */
export class BadBusMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadBusMessage';
  }
}

export type BoardPayload =
  | { name: 'snapshot'; payload: BoardSnapshot }
  | { name: 'update'; payload: BoardUpdate }
  | { name: 'status'; payload: BoardStatus };

const maxDataBytes = 4 * 1024 * 1024;
const names = new Set(['snapshot', 'update', 'status']);
const isVersion = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
const isText = (value: unknown, max = 2_000): value is string =>
  typeof value === 'string' && value.length <= max;
const isTextOrNull = (value: unknown) => value === null || isText(value);
const isNumberOrNull = (value: unknown) =>
  value === null || (typeof value === 'number' && Number.isFinite(value));
const isTexts = (value: unknown) =>
  Array.isArray(value) && value.length <= 100 && value.every((v) => isText(v, 200));

function fail(why: string): never {
  throw new BadBusMessage(why);
}

/**
 * Reads a message from Redis (pub/sub or the history stream): the envelope must be exactly what
 * `publish` writes. Anything else throws `BadBusMessage`, to be logged and skipped.
 */
export function parseBusMessage(raw: unknown): BusMessage {
  if (typeof raw !== 'string' || raw.length > maxDataBytes) fail('not a string of sensible size');
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(raw);
  } catch {
    fail('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('not an object');
  const { city, name, version, previous, data } = value;
  if (typeof city !== 'string' || !/^[a-z0-9]{1,40}$/.test(city)) fail('bad city');
  if (typeof name !== 'string' || !names.has(name)) fail('bad event name');
  if (name === 'status' ? version !== null : !isVersion(version)) fail('bad version');
  if (previous !== null && !isVersion(previous)) fail('bad previous version');
  if (typeof data !== 'string') fail('bad data');
  return { city, name: name as BusMessage['name'], version: version as number | null, previous, data };
}

/** Parses and checks an event's payload against its name, city and version. */
export function parsePayload(message: BusMessage): BoardPayload {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(message.data);
  } catch {
    fail('payload is not JSON');
  }
  if (typeof data !== 'object' || data === null || data.city !== message.city)
    fail('payload of another city');
  if (message.name === 'status') {
    const { state, since, reason, lastSuccessAt } = data;
    if (state !== 'live' && state !== 'stale') fail('bad status state');
    if (!isText(since) || !isTextOrNull(reason) || !isTextOrNull(lastSuccessAt)) fail('bad status fields');
    return { name: 'status', payload: data as unknown as BoardStatus };
  }
  if (data.version !== message.version) fail('payload version differs from the id');
  if (!isTextOrNull(data.fetchedAt)) fail('bad fetchedAt');
  if (message.name === 'update') {
    const { added, updated, removed, order } = data;
    if (!isMovies(added) || !isMovies(updated)) fail('bad movies');
    if (order !== undefined && !isOrder(order)) fail('bad order');
    if (!isIds(removed)) fail('bad removed ids');
    return { name: 'update', payload: data as unknown as BoardUpdate };
  }
  const { nowPlaying, upcoming, source, stale } = data;
  if (!isMovies(nowPlaying) || !isMovies(upcoming)) fail('bad movies');
  if (source !== 'douban' && source !== 'saved' && source !== 'none') fail('bad source');
  if (typeof stale !== 'boolean') fail('bad stale flag');
  return { name: 'snapshot', payload: data as unknown as BoardSnapshot };
}

const isIds = (value: unknown) =>
  Array.isArray(value) &&
  value.length <= 1_000 &&
  value.every((id) => typeof id === 'string' && /^\d{1,20}$/.test(id));

function isOrder(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { nowPlaying, upcoming } = value as Record<string, unknown>;
  return isIds(nowPlaying) && isIds(upcoming);
}

function isMovies(value: unknown): value is Movie[] {
  return Array.isArray(value) && value.length <= 1_000 && value.every(isMovie);
}

function isMovie(value: unknown): value is Movie {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    /^\d{1,20}$/.test(m.id) &&
    isText(m.title, 500) &&
    m.title !== '' &&
    (m.category === 'nowplaying' || m.category === 'upcoming') &&
    [m.score, m.votes, m.stars, m.year, m.wish].every(isNumberOrNull) &&
    [m.duration, m.posterUrl, m.ticketUrl, m.releaseDate].every(isTextOrNull) &&
    isText(m.url) &&
    [m.regions, m.directors, m.actors].every(isTexts)
  );
}
