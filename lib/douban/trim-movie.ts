import 'server-only';
import { LIMITS } from '@/lib/schema/limits';
import type { Movie } from '@/lib/types';

export type TrimmedField =
  | 'title'
  | 'duration'
  | 'releaseDate'
  | 'regions'
  | 'directors'
  | 'actors'
  | 'posterUrl'
  | 'ticketUrl';

/** `text` cut to `max` UTF-16 units, without leaving half of a surrogate pair at the end. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * Fits a parsed movie into the caps every other boundary enforces (`LIMITS`, lib/schema/limits.ts),
 * so that a long Douban item is shown shortened rather than refused further down: text is cut, a list
 * keeps its first entries, each cut too, and a URL past the cap becomes `null` (a cut URL leads
 * elsewhere). Tells `onTrim` each field it changed.
 */
export function trimMovie(movie: Movie, onTrim: (field: TrimmedField) => void = () => {}): Movie {
  const trimmed: TrimmedField[] = [];
  const text = <T extends string | null>(field: TrimmedField, value: T, max: number): T => {
    if (value === null || value.length <= max) return value;
    trimmed.push(field);
    return cut(value, max).trimEnd() as T;
  };
  const list = (field: TrimmedField, values: string[]): string[] => {
    const fitted = values.slice(0, LIMITS.listEntries).map((value) => cut(value, LIMITS.entryChars));
    if (values.length > fitted.length || fitted.some((value, i) => value !== values[i])) trimmed.push(field);
    return fitted;
  };
  const url = (field: TrimmedField, value: string | null): string | null => {
    if (value === null || value.length <= LIMITS.textChars) return value;
    trimmed.push(field);
    return null;
  };
  const fitted: Movie = {
    ...movie,
    title: text('title', movie.title, LIMITS.titleChars),
    duration: text('duration', movie.duration, LIMITS.textChars),
    regions: list('regions', movie.regions),
    directors: list('directors', movie.directors),
    actors: list('actors', movie.actors),
    posterUrl: url('posterUrl', movie.posterUrl),
    ticketUrl: url('ticketUrl', movie.ticketUrl),
    releaseDate: text('releaseDate', movie.releaseDate, LIMITS.textChars),
  };
  for (const field of trimmed) onTrim(field);
  return fitted;
}
