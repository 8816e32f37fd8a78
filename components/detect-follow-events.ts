import type { BoardSnapshot, BoardUpdate, Movie } from '@/lib/types';
import { type FilmMarks, findFilmMark } from './film-marks';

/** Something to tell the viewer about a film they follow. */
export interface FollowEvent {
  /** The film and the kind of news (and the city, for 正在上映): what the told record is keyed by. */
  key: string;
  /** What is told under that key: told once, and again only when it changes (a threshold crossed back). */
  state: string;
  id: string;
  /** The sentence shown in the page and in the system notification. */
  text: string;
}

const side = ({ score, threshold }: { score: number | null; threshold: number }) =>
  score !== null && score >= threshold ? 'above' : 'below';

/**
 * The news of one followed film between two sightings in a city: its 开分 (unrated, then rated), its
 * arrival in 正在上映 (from 即将上映, or from outside the city's lists: `before` undefined), and its
 * score crossing the viewer's threshold either way (an unrated film counts as below it).
 */
export function detectFollowEvents({
  before,
  after,
  threshold,
  city,
  cityName,
}: {
  before: Movie | undefined;
  after: Movie;
  threshold?: number;
  city: string;
  cityName: string;
}): FollowEvent[] {
  const events: FollowEvent[] = [];
  const { id } = after;
  const title = `《${after.title}》`;
  if (after.category === 'nowplaying' && before?.category !== 'nowplaying') {
    events.push({ key: `${id}:playing:${city}`, state: 'playing', id, text: `${title}在${cityName}上映了` });
  }
  if (!before || after.score === null) return events;
  if (before.score === null) {
    events.push({ key: `${id}:rated`, state: 'rated', id, text: `${title}开分：${after.score.toFixed(1)}` });
  }
  if (threshold !== undefined) {
    const [was, is] = [side({ score: before.score, threshold }), side({ score: after.score, threshold })];
    if (was !== is) {
      const line = threshold.toFixed(1);
      events.push({
        key: `${id}:threshold`,
        state: `${is}:${line}`,
        id,
        text:
          is === 'above'
            ? `${title}评分 ${after.score.toFixed(1)}，达到你设的 ${line}`
            : `${title}评分 ${after.score.toFixed(1)}，低于你设的 ${line}`,
      });
    }
  }
  return events;
}

/** The news an update brings of the films the viewer follows, compared with the board it applies to. */
export function detectBoardFollowEvents({
  board,
  update,
  marks,
  cityName,
}: {
  board: BoardSnapshot;
  update: BoardUpdate;
  marks: FilmMarks;
  cityName: string;
}): FollowEvent[] {
  const followed = new Map(marks.films.filter((film) => film.follow).map((film) => [film.id, film]));
  if (followed.size === 0) return [];
  const listed = new Map([...board.nowPlaying, ...board.upcoming].map((movie) => [movie.id, movie]));
  return [...update.updated, ...update.added].flatMap((after) => {
    const mark = followed.get(after.id);
    if (!mark) return [];
    const before = listed.get(after.id);
    return detectFollowEvents({ before, after, threshold: mark.threshold, city: update.city, cityName });
  });
}

/** The followed mark of a film, if it is followed: its threshold rides along. */
export function findFollowed({ marks, id }: { marks: FilmMarks; id: string }) {
  const mark = findFilmMark({ marks, id });
  return mark?.follow ? mark : undefined;
}
