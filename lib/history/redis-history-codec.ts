import 'server-only';
import * as z from 'zod/mini';
import { movieIdSchema } from '@/lib/schema/movie';
import { filmPointSchema, listingEventSchema } from '@/lib/schema/trend';
import type { FilmPoint, ListingEvent } from '@/lib/types';
import type { FilmState } from './observe-film';

// How the Redis history stores its values. A point is a sorted-set member `[at,score,votes,wish]`
// (its score: `at`), a listing event `[at,list]`, a film's state a hash of JSON fields. Encoding
// validates too: a value Redis could not give back whole is refused before anything is written.

const filmStateSchema = z.object({
  firstSeenAt: filmPointSchema.shape.at,
  ratedAt: z.nullable(filmPointSchema.shape.at),
  seenUnrated: z.boolean(),
  lastSeenAt: filmPointSchema.shape.at,
  last: filmPointSchema,
});
const pointTuple = z.tuple([z.unknown(), z.unknown(), z.unknown(), z.unknown()]);
const listingTuple = z.tuple([z.unknown(), z.unknown()]);

/** A value read from Redis that is not one the history could have written. */
export class BadHistoryEntry extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadHistoryEntry';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadHistoryEntry('not JSON');
  }
}

function check<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new BadHistoryEntry(`bad ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`);
}

export function encodePoint(point: FilmPoint): string {
  const { at, score, votes, wish } = check(filmPointSchema, point);
  return JSON.stringify([at, score, votes, wish]);
}

/** @throws BadHistoryEntry */
export function decodePoint(member: string): FilmPoint {
  const [at, score, votes, wish] = check(pointTuple, parseJson(member));
  return check(filmPointSchema, { at, score, votes, wish });
}

export function encodeListingEvent(event: ListingEvent): string {
  const { at, list } = check(listingEventSchema, event);
  return JSON.stringify([at, list]);
}

/** @throws BadHistoryEntry */
export function decodeListingEvent(member: string): ListingEvent {
  const [at, list] = check(listingTuple, parseJson(member));
  return check(listingEventSchema, { at, list });
}

/** The hash fields of a film's state, as `HSET` takes them. */
export function encodeFilmState(state: FilmState): Record<string, string> {
  const valid = check(filmStateSchema, state);
  return {
    firstSeenAt: JSON.stringify(valid.firstSeenAt),
    ratedAt: JSON.stringify(valid.ratedAt),
    seenUnrated: JSON.stringify(valid.seenUnrated),
    lastSeenAt: JSON.stringify(valid.lastSeenAt),
    last: encodePoint(valid.last),
  };
}

/** @throws BadHistoryEntry */
export function decodeFilmState(hash: Record<string, string>): FilmState {
  const field = (name: string) => {
    const text = hash[name];
    if (text === undefined) throw new BadHistoryEntry(`no field ${name}`);
    return parseJson(text);
  };
  const last = hash.last === undefined ? undefined : decodePoint(hash.last);
  return check(filmStateSchema, {
    firstSeenAt: field('firstSeenAt'),
    ratedAt: field('ratedAt'),
    seenUnrated: field('seenUnrated'),
    lastSeenAt: field('lastSeenAt'),
    last,
  });
}

export function encodeTime(at: number): string {
  return JSON.stringify(check(filmPointSchema.shape.at, at));
}

/** @throws BadHistoryEntry */
export function decodeTime(text: string): number {
  return check(filmPointSchema.shape.at, parseJson(text));
}

/** @throws BadHistoryEntry */
export function decodeFilmId(text: string): string {
  return check(movieIdSchema, text);
}
