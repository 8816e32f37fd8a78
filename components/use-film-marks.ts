import { useCallback, useMemo, useSyncExternalStore } from 'react';
import {
  changeFilmMark,
  type FilmMark,
  type FilmMarks,
  findFilmMark,
  listMine,
  type MineSets,
} from './film-marks';
import { filmMarksStore } from './viewer-stores';

/** The viewer's marks, as stored; every tab re-renders when any tab changes them. */
export function useFilmMarks(): FilmMarks {
  return useSyncExternalStore(
    filmMarksStore.subscribe,
    filmMarksStore.getSnapshot,
    filmMarksStore.getServerSnapshot,
  );
}

/** One film's marks and the way to change them (read and written at once, so two tabs never lose a mark). */
export function useFilmMark(id: string): {
  mark: FilmMark | undefined;
  change: (change: Partial<Omit<FilmMark, 'id'>>) => void;
} {
  const marks = useFilmMarks();
  const change = useCallback(
    (next: Partial<Omit<FilmMark, 'id'>>) =>
      filmMarksStore.write(changeFilmMark({ marks: filmMarksStore.read(), id, change: next })),
    [id],
  );
  return { mark: findFilmMark({ marks, id }), change };
}

/** 关注, 想看 and 看过 as sets of ids, for the board's filters (the same sets while the marks hold). */
export function useMine(): MineSets {
  const marks = useFilmMarks();
  return useMemo(() => listMine(marks), [marks]);
}
