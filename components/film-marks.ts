import * as z from 'zod/mini';
import { movieIdSchema } from '@/lib/schema/movie';

/** The most films a browser keeps marks for; marking one more forgets the oldest marked. */
export const FILM_MARKS_MAX = 1_000;

/** What the viewer marked on one film, in this browser only. */
export const filmMarkSchema = z.object({
  id: movieIdSchema,
  /** 关注: tell the viewer about its 开分, its arrival in 正在上映, its threshold. */
  follow: z.optional(z.boolean()),
  /** 想看 and 看过 exclude each other, as on Douban. */
  wish: z.optional(z.boolean()),
  seen: z.optional(z.boolean()),
  /** Followed films only: tell when the score crosses it, either way. */
  threshold: z.optional(z.number().check(z.gte(1), z.lte(10))),
});
export type FilmMark = z.infer<typeof filmMarkSchema>;

/** localStorage `now-showing:marks:v1`. Oldest marked first. */
export const filmMarksSchema = z.object({
  films: z.array(filmMarkSchema).check(z.maxLength(FILM_MARKS_MAX)),
});
export type FilmMarks = z.infer<typeof filmMarksSchema>;

export const NO_MARKS: FilmMarks = { films: [] };

/** The marks of sets of ids, as the board's filters take them. */
export interface MineSets {
  followed: Set<string>;
  wish: Set<string>;
  seen: Set<string>;
}

export function findFilmMark({ marks, id }: { marks: FilmMarks; id: string }): FilmMark | undefined {
  return marks.films.find((film) => film.id === id);
}

/**
 * The marks after changing one film's: `undefined` clears a field, 想看 clears 看过 and the other way
 * round, a film left with no mark is forgotten (its threshold too), and a newly marked film goes last.
 */
export function changeFilmMark({
  marks,
  id,
  change,
}: {
  marks: FilmMarks;
  id: string;
  change: Partial<Omit<FilmMark, 'id'>>;
}): FilmMarks {
  const old = findFilmMark({ marks, id });
  const next: FilmMark = { ...old, ...change, id };
  if (change.wish) next.seen = undefined;
  if (change.seen) next.wish = undefined;
  const films = marks.films.filter((film) => film.id !== id);
  const kept = Object.fromEntries(
    Object.entries(next).filter(([, value]) => value !== undefined && value !== false),
  );
  if (!kept.follow && !kept.wish && !kept.seen) return { films };
  // A film keeps its place when its marks change, so the oldest marked is the one forgotten first.
  const at = old ? marks.films.indexOf(old) : films.length;
  films.splice(at, 0, kept as FilmMark);
  return { films: films.slice(-FILM_MARKS_MAX) };
}

export function listMine(marks: FilmMarks): MineSets {
  const ids = (flag: 'follow' | 'wish' | 'seen') =>
    new Set(marks.films.filter((film) => film[flag]).map((film) => film.id));
  return { followed: ids('follow'), wish: ids('wish'), seen: ids('seen') };
}
