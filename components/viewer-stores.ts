import { createLocalStore } from './create-local-store';
import { type FilmMarks, filmMarksSchema, NO_MARKS } from './film-marks';
import { NO_SEEN_BOARDS, type SeenBoards, seenBoardsSchema } from './seen-board';
import { NOTHING_TOLD, type ToldEvents, toldEventsSchema } from './told-events';

// Everything the viewer keeps lives in this browser, under these keys; nothing of it goes to the
// server. A key's version changes with its shape.

/** 关注, 想看, 看过 and thresholds, by film; shared by the tabs through the `storage` event. */
export const filmMarksStore = createLocalStore<FilmMarks>({
  key: 'now-showing:marks:v1',
  schema: filmMarksSchema,
  empty: NO_MARKS,
});

/** Each city's board as the viewer last saw it: the base of "自上次访问以来". */
export const seenBoardsStore = createLocalStore<SeenBoards>({
  key: 'now-showing:seen-board:v1',
  schema: seenBoardsSchema,
  empty: NO_SEEN_BOARDS,
});

/** What was told about followed films, so that each news is told once per browser. */
export const toldEventsStore = createLocalStore<ToldEvents>({
  key: 'now-showing:told:v1',
  schema: toldEventsSchema,
  empty: NOTHING_TOLD,
});
