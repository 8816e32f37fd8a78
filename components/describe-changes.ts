import type { BoardSnapshot, BoardUpdate, Movie } from '@/lib/types';

/** What a card shows after an update touched its movie. */
export interface Cue {
  kind: 'up' | 'down' | 'new';
  /** Score before and after (for `up`/`down`); `null` means 暂无评分. */
  from: number | null;
  to: number | null;
  /** The update's version: a new cue for the same movie restarts the highlight. */
  version: number;
}

/** A removed movie still on screen while it fades out, at the place it had in its list. */
export interface Leaving {
  movie: Movie;
  index: number;
}

export interface Changes {
  cues: Map<string, Cue>;
  leaving: Map<string, Leaving>;
}

/**
 * Compares a board with the update about to be applied to it: which cards get a cue and which
 * movies leave. Changes that do not touch the score (votes, actors…) get no cue.
 */
export function describeChanges(board: BoardSnapshot, update: BoardUpdate): Changes {
  const before = new Map<string, Movie>();
  for (const movie of [...board.nowPlaying, ...board.upcoming]) before.set(movie.id, movie);
  const cues = new Map<string, Cue>();
  const leaving = new Map<string, Leaving>();
  const { version } = update;

  for (const movie of [...update.added, ...update.updated]) {
    const old = before.get(movie.id);
    if (!old || old.category !== movie.category) {
      cues.set(movie.id, { kind: 'new', from: null, to: movie.score, version });
    } else if (old.score !== movie.score) {
      const up = movie.score !== null && (old.score === null || movie.score > old.score);
      cues.set(movie.id, { kind: up ? 'up' : 'down', from: old.score, to: movie.score, version });
    }
  }
  for (const id of update.removed) {
    const movie = before.get(id);
    if (!movie) continue;
    const list = movie.category === 'upcoming' ? board.upcoming : board.nowPlaying;
    leaving.set(id, { movie, index: list.indexOf(movie) });
  }
  return { cues, leaving };
}
