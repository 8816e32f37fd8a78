import type { ArrangedMovie } from './arrange-movies';
import type { Cue } from './describe-changes';
import { MovieCard } from './MovieCard';

/** The cards of one tab, keyed by movie id so a card keeps its DOM node (and animation) across updates. */
export function MovieGrid({
  rows,
  cueOf,
}: {
  rows: ArrangedMovie[];
  cueOf: (id: string) => Cue | undefined;
}) {
  return (
    <ul className="grid">
      {rows.map(({ movie, leaving }) => (
        <MovieCard key={movie.id} movie={movie} cue={cueOf(movie.id)} leaving={leaving} />
      ))}
    </ul>
  );
}
