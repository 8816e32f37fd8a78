import type { ArrangedMovie } from './arrange-movies';
import type { Cue } from './describe-changes';
import { MovieCard } from './MovieCard';

/** The cards of one tab, keyed by movie id so a card keeps its DOM node (and animation) across updates. */
export function MovieGrid({
  rows,
  city,
  now,
  cueOf,
}: {
  rows: ArrangedMovie[];
  city: string;
  now: number;
  cueOf: (id: string) => Cue | undefined;
}) {
  return (
    <ul className="grid">
      {rows.map(({ movie, leaving }) => (
        <MovieCard
          key={movie.id}
          movie={movie}
          city={city}
          now={now}
          cue={cueOf(movie.id)}
          leaving={leaving}
        />
      ))}
    </ul>
  );
}
