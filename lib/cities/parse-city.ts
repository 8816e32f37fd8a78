import 'server-only';
import { HttpError } from '@/lib/errors';
import type { City } from '@/lib/types';
import cities from './cities.json';

const CITIES_URL = '/api/cities';
const SLUG = /^[a-z0-9]{1,40}$/;

const citiesBySlug = new Map<string, City>(cities.map((city) => [city.slug, city]));
const exampleSlugs = cities.slice(0, 5).map((city) => city.slug);

/**
 * Turns a `city` query parameter into a known city. Slugs are Douban's `uid`s, matched exactly:
 * lower-case pinyin or digits (`shanghai`, `118378`), no trimming or case folding. Pass every value
 * of the parameter (`searchParams.getAll('city')`): `city=a&city=b` is refused, not read as `a`, since
 * a proxy or cache in front may read the other one.
 *
 * @throws {HttpError} 400 `missing-city`, `malformed-city` or `unknown-city`; the details point to
 *   `/api/cities` and give a few example slugs.
 */
export function parseCity(values: string | readonly string[] | null | undefined): City {
  const all = values === null || values === undefined ? [] : typeof values === 'string' ? [values] : values;
  if (all.length > 1) {
    throw cityError({
      code: 'malformed-city',
      message: `The city parameter is given ${all.length} times; give it once.`,
    });
  }
  const input = all[0];
  if (!input) {
    throw cityError({ code: 'missing-city', message: 'The city parameter is missing.' });
  }
  if (!SLUG.test(input)) {
    throw cityError({
      code: 'malformed-city',
      message: `The city ${quote(input)} is malformed: a city is 1–40 lower-case letters or digits, such as "shanghai".`,
    });
  }
  const city = citiesBySlug.get(input);
  if (!city) {
    throw cityError({ code: 'unknown-city', message: `The city "${input}" is not one Douban lists.` });
  }
  // A copy, as listCities gives, so no caller can change the shared list.
  return { ...city };
}

function cityError({ code, message }: { code: string; message: string }): HttpError {
  return new HttpError({
    status: 400,
    code,
    message: `${message} The list of cities is at ${CITIES_URL}.`,
    details: { citiesUrl: CITIES_URL, examples: [...exampleSlugs] },
  });
}

/**
 * Quotes untrusted input for a message: at most 40 characters, with control, format (e.g. bidi
 * overrides) and line-separator characters escaped, so logs and clients see it but cannot be fooled by it.
 */
function quote(input: string): string {
  const characters = Array.from(input.slice(0, 100));
  const shown = JSON.stringify(characters.slice(0, 40).join('')).replace(
    /[\p{C}\p{Zl}\p{Zp}]/gu,
    (character) => {
      const code = character.codePointAt(0) ?? 0;
      return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
    },
  );
  return characters.length > 40 ? `${shown}…` : shown;
}
