'use client';

import { useCallback, useMemo, useRef, useState } from 'react';
import { buildFilmChart } from '@/lib/chart/build-film-chart';
import { formatMonthDay, formatMonthDayClock } from '@/lib/chart/format-china-date';
import { appendFilmPoint } from '@/lib/film/append-film-point';
import type { FilmHistory, FilmPoint, Movie } from '@/lib/types';
import { ChangeAnnouncer } from './ChangeAnnouncer';
import { detectFollowEvents, findFollowed } from './detect-follow-events';
import { FilmChart } from './FilmChart';
import { phraseFilmChange } from './phrase-film-change';
import { tellFollowed } from './tell-followed';
import { useCoalescedAnnouncement } from './use-coalesced-announcement';
import { type FilmSighting, useFilmStream } from './use-film-stream';
import { filmMarksStore } from './viewer-stores';

const count = new Intl.NumberFormat('zh-CN');

/** The film's values now: as the city's board lists it, else its last recorded point. */
function CurrentValues({
  movie,
  last,
  cityName,
}: {
  movie: Movie | null;
  last: FilmPoint | undefined;
  cityName: string;
}) {
  const values = movie ?? last;
  return (
    <div className="film-now" data-testid="film-now" data-listed={movie ? 'yes' : 'no'}>
      <p className="rating">
        {values?.score != null ? (
          <>
            <span className="visually-hidden">豆瓣评分</span>
            <span className="score" data-testid="film-score">
              {values.score.toFixed(1)}
            </span>
          </>
        ) : (
          <span className="score score-none" data-testid="film-score">
            暂无评分
          </span>
        )}
        {values?.votes != null && <span className="votes">{count.format(values.votes)}人评价</span>}
        {values?.wish != null && <span className="votes">{count.format(values.wish)}人想看</span>}
      </p>
      <p className="film-now-note">
        {movie
          ? `${cityName}${movie.category === 'upcoming' ? '即将上映' : '正在上映'}，数值随豆瓣实时更新。`
          : last
            ? `不在${cityName}的片单上，这是最后记录的数值（${formatMonthDayClock(last.at)}）。`
            : `不在${cityName}的片单上。`}
      </p>
    </div>
  );
}

/**
 * The live part of the film page: the current values and the chart. The server renders it with what
 * it read; in the browser it follows the city's stream and, when an update carries this film, shows
 * its new values and appends the point to the chart, drawn again by the same pure `buildFilmChart`;
 * its live region tells what changed, as the board's does for the board.
 * The chart ends at the render time, then at the latest point: never at the browser's clock, so the
 * hydrated SVG is the server's.
 */
export function FilmLive({
  city,
  cityName,
  film,
  movie: listed,
  version,
  renderedAt,
}: {
  city: string;
  cityName: string;
  film: FilmHistory;
  movie: Movie | null;
  version: number | null;
  renderedAt: number;
}) {
  const [movie, setMovie] = useState(listed);
  const [points, setPoints] = useState<readonly FilmPoint[]>(film.points);
  const [now, setNow] = useState(renderedAt);

  const { announcement, note, clear } = useCoalescedAnnouncement(phraseFilmChange);

  // The film as last listed, for the news of a followed film and the live region's sentence (read in
  // the event, not in a render).
  const shown = useRef(listed);
  const onFilm = useCallback(
    ({ movie: next, at, via }: FilmSighting) => {
      const before = shown.current;
      shown.current = next;
      setMovie(next);
      // Only updates are told: a snapshot (the first, a reconnection's) shows the film as it is.
      if (via === 'update') note({ before, after: next });
      else clear();
      if (!next) return;
      const mark = findFollowed({ marks: filmMarksStore.read(), id: next.id });
      if (mark) {
        tellFollowed(
          detectFollowEvents({
            before: before ?? undefined,
            after: next,
            threshold: mark.threshold,
            city,
            cityName,
          }),
        );
      }
      setPoints((earlier) => appendFilmPoint(earlier, next, at));
      setNow((then) => Math.max(then, at));
    },
    [city, cityName, note, clear],
  );
  useFilmStream({ city, id: film.id, version, onFilm });

  const chart = useMemo(
    () => buildFilmChart({ points, firstSeenAt: film.firstSeenAt, ratedAt: film.ratedAt, now }),
    [points, film.firstSeenAt, film.ratedAt, now],
  );
  return (
    <section className="film-live" aria-label="评分与人数">
      <ChangeAnnouncer announcement={announcement} />
      <CurrentValues movie={movie} last={points.at(-1)} cityName={cityName} />
      <p className="film-since" data-testid="film-since">
        {chart.startLabel}记录{film.ratedAt !== null && `，${formatMonthDay(film.ratedAt)}开分`}
        ：历史从我们第一次看到这部电影时开始，此前的数值没有记录。
      </p>
      <FilmChart chart={chart} />
    </section>
  );
}
