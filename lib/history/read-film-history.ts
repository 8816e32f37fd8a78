import 'server-only';
import { parseCity } from '@/lib/cities/parse-city';
import { HttpError } from '@/lib/errors';
import { movieIdSchema } from '@/lib/schema/movie';
import type { FilmHistory } from '@/lib/types';
import type { History } from './create-history';

/**
 * GET /api/movies/<id>/history?city=<slug>: everything recorded of a film, and its entries and exits
 * in the city. A malformed id or city is a 400, a film never seen a 404, each with a code.
 */
export async function readFilmHistory({
  id,
  city,
  history,
}: {
  id: string;
  city: readonly string[];
  history: History;
}): Promise<FilmHistory> {
  const { slug } = parseCity(city);
  if (!movieIdSchema.safeParse(id).success) {
    throw new HttpError({
      status: 400,
      code: 'bad-movie-id',
      message: `A movie id is Douban's subject id, 1 to 20 digits (e.g. 36154853); got ${JSON.stringify(id.slice(0, 40))}.`,
    });
  }
  if (!history.enabled) {
    throw new HttpError({
      status: 404,
      code: 'history-off',
      message: 'This server keeps no history (HISTORY=off).',
    });
  }
  const film = await history.film({ id, city: slug });
  if (!film) {
    throw new HttpError({
      status: 404,
      code: 'unknown-movie',
      message: `No poll has seen the movie ${id} yet: its history starts when one does.`,
    });
  }
  return film;
}
