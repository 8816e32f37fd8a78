import type { Movie } from '@/lib/types';
import type { BoardView } from './board-view';
import { filmRegion } from './film-region';
import type { MarkedFilms } from './marked-films';

/**
 * Whether a film passes the view's filters: its score (`min`, `rated`: only films Douban rates, so an
 * upcoming film is never hidden by them), its region (华语 / 外语; a film without a region is neither),
 * the viewer's marks (`mine`: not applied when `marks` is null, i.e. on the server, which cannot know
 * them), and the text over title, directors and actors.
 */
export function createMovieFilter({
  view,
  marks,
}: {
  view: Pick<BoardView, 'min' | 'rated' | 'region' | 'mine' | 'q'>;
  marks: MarkedFilms | null;
}): (movie: Movie) => boolean {
  const needle = view.q.trim().toLowerCase();
  const marked = view.mine === 'all' || marks === null ? null : marks[view.mine];
  return (movie) => {
    if (movie.category !== 'upcoming') {
      if (view.rated && movie.score === null) return false;
      if (view.min > 0 && movie.score !== null && movie.score < view.min) return false;
    }
    if (view.region !== 'all' && filmRegion(movie) !== view.region) return false;
    if (marked && !marked.has(movie.id)) return false;
    return (
      needle === '' ||
      [movie.title, ...movie.directors, ...movie.actors].some((text) => text.toLowerCase().includes(needle))
    );
  };
}
