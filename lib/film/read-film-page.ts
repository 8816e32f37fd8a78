import 'server-only';
import type { Boards } from '@/lib/board/create-boards';
import { readBoard } from '@/lib/board/read-board';
import { parseCity } from '@/lib/cities/parse-city';
import { HttpError } from '@/lib/errors';
import type { History } from '@/lib/history/create-history';
import { movieIdSchema } from '@/lib/schema/movie';
import type { City, FilmHistory, Movie } from '@/lib/types';

/** What `/movies/<id>?city=<slug>` shows. */
export type FilmPage =
  | { kind: 'unknown-city'; input: string }
  | { kind: 'bad-id'; city: City }
  | { kind: 'unseen'; city: City }
  | {
      kind: 'film';
      city: City;
      film: FilmHistory;
      /** The film as the city's board lists it now; null when it does not (left, or never listed here). */
      movie: Movie | null;
      /** How the film looked when a page last listed it (the history's card), for a film no board lists. */
      card: Movie | null;
      /** The board's version, from which the page's stream resumes. */
      version: number;
    };

/**
 * The film page's data: the film's recorded history and, when the city's board lists it, the film as
 * listed (title, poster, current values). Both are read at once; the board may poll Douban first
 * (see `readBoard`). A history that is off (`HISTORY=off`) has seen no film.
 */
export async function readFilmPage({
  id,
  city: input,
  services,
}: {
  id: string;
  city: string;
  services: { history: History; boards: Boards };
}): Promise<FilmPage> {
  let city: City;
  try {
    city = parseCity(input);
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) return { kind: 'unknown-city', input };
    throw error;
  }
  if (!movieIdSchema.safeParse(id).success) return { kind: 'bad-id', city };
  const { history, boards } = services;
  const [film, board] = await Promise.all([
    history.enabled ? history.film({ id, city: city.slug }) : null,
    readBoard({ city: city.slug, boards }),
  ]);
  if (!film) return { kind: 'unseen', city };
  const movie = [...board.nowPlaying, ...board.upcoming].find((candidate) => candidate.id === id) ?? null;
  const card = movie ? null : await history.card(id);
  return { kind: 'film', city, film, movie, card, version: board.version };
}
