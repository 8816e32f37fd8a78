import type { Movie } from '@/lib/types';
import { Sparkline } from './Sparkline';

/** The way to the film's own page (its whole history in this city), drawn as its sparkline when it has one. */
export function TrendLink({ movie, city }: { movie: Movie; city: string }) {
  const spark = movie.trend?.spark;
  return (
    <a
      className="trend-link"
      href={`/movies/${movie.id}?city=${encodeURIComponent(city)}`}
      data-testid="trend-link"
    >
      {spark && <Sparkline spark={spark} />}
      <span className="trend-link-text">
        走势<span className="visually-hidden">：{movie.title}</span>
      </span>
    </a>
  );
}
