import 'server-only';
import { movieSchema } from '@/lib/schema/movie';
import type { Movie } from '@/lib/types';
import { BadHistoryEntry } from './redis-history-codec';

/**
 * A film's card: the movie as a city's page last listed it (title, poster, people, last values),
 * without its trend. The history keeps one per film, whatever the city, written when the film is
 * first seen and again when it leaves a city's lists, so that 最近下映 and the page of a film no
 * board lists can still show it.
 */
export function toCard(movie: Movie): Movie {
  const { trend: _, ...card } = movie;
  return card;
}

export function encodeCard(movie: Movie): string {
  return JSON.stringify(toCard(movieSchema.parse(movie)));
}

/** @throws BadHistoryEntry */
export function decodeCard(text: string): Movie {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadHistoryEntry('not JSON');
  }
  const result = movieSchema.safeParse(value);
  if (!result.success) throw new BadHistoryEntry(`bad card: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return toCard(result.data);
}
