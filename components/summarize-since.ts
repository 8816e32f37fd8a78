import type { BoardSnapshot, MovieCategory } from '@/lib/types';
import type { SeenBoard } from './seen-board';

export interface SinceFilm {
  id: string;
  title: string;
  /** The list it is in now (for a film that left: the one it left). */
  list: MovieCategory;
}

/** What changed on a city's board between the viewer's last look and now, in the board's order. */
export interface SinceSummary {
  /** When the viewer last saw the board (ms). */
  since: number;
  /** On the board now, not then. */
  added: SinceFilm[];
  /** Moved from 即将上映 to 正在上映. */
  playing: SinceFilm[];
  /** Listed then, in neither list now. */
  left: SinceFilm[];
  /** 开分: unrated then, rated now. */
  rated: Array<SinceFilm & { score: number }>;
  /** A score that moved, the biggest move first. */
  moved: Array<SinceFilm & { from: number; to: number }>;
}

/** Rounds away the float noise of a difference of one-decimal scores (9.4 − 9.1 = 0.3000…04). */
export function scoreDelta({ from, to }: { from: number; to: number }): number {
  return Math.round((to - from) * 10) / 10;
}

/** Compares the board the viewer last saw with the board now. */
export function summarizeSince({ seen, board }: { seen: SeenBoard; board: BoardSnapshot }): SinceSummary {
  const then = new Map(seen.films.map(([id, list, score, title]) => [id, { list, score, title }]));
  const summary: SinceSummary = { since: seen.at, added: [], playing: [], left: [], rated: [], moved: [] };
  const listed = new Set<string>();
  for (const movie of [...board.nowPlaying, ...board.upcoming]) {
    listed.add(movie.id);
    const film = { id: movie.id, title: movie.title, list: movie.category };
    const old = then.get(movie.id);
    if (!old) {
      summary.added.push(film);
      continue;
    }
    if (old.list === 'upcoming' && movie.category === 'nowplaying') summary.playing.push(film);
    if (movie.score === null) continue;
    if (old.score === null) summary.rated.push({ ...film, score: movie.score });
    else if (scoreDelta({ from: old.score, to: movie.score }) !== 0) {
      summary.moved.push({ ...film, from: old.score, to: movie.score });
    }
  }
  for (const [id, old] of then) {
    if (!listed.has(id)) summary.left.push({ id, title: old.title, list: old.list });
  }
  summary.moved.sort(
    (a, b) => Math.abs(scoreDelta(b)) - Math.abs(scoreDelta(a)) || scoreDelta(b) - scoreDelta(a),
  );
  return summary;
}

/** The ids of every film the summary names; empty when nothing changed. */
export function listSinceIds(summary: SinceSummary): Set<string> {
  const { added, playing, left, rated, moved } = summary;
  return new Set([...added, ...playing, ...left, ...rated, ...moved].map((film) => film.id));
}
