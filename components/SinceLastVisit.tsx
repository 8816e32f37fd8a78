import type { ReactNode } from 'react';
import { formatMonthDayClock } from '@/lib/chart/format-china-date';
import { type SinceFilm, type SinceSummary, scoreDelta } from './summarize-since';

function Titles<T extends SinceFilm>({ films, note }: { films: T[]; note?: (film: T) => string }) {
  return films.map((film, index) => (
    <span key={film.id} data-movie-id={film.id}>
      {index > 0 && '、'}《{film.title}》{note?.(film)}
    </span>
  ));
}

function Line({ kind, label, children }: { kind: string; label: string; children: ReactNode }) {
  return (
    <li data-kind={kind}>
      <span className="since-label">{label}</span> {children}
    </li>
  );
}

function Move({ film }: { film: SinceSummary['moved'][number] }) {
  const delta = scoreDelta(film);
  const up = delta > 0;
  return (
    <span data-movie-id={film.id} className={`since-move mark-${up ? 'up' : 'down'}`}>
      《{film.title}》
      <span aria-hidden="true">
        {up ? '▲' : '▼'}
        {Math.abs(delta).toFixed(1)}
      </span>
      <span className="visually-hidden">{up ? '上升' : '下降'}</span>
      <span className="since-from-to">
        {' '}
        {film.from.toFixed(1)}→{film.to.toFixed(1)}
      </span>
    </span>
  );
}

/**
 * What changed on the board since the viewer's last look (see useSinceLastVisit): new films, films
 * that went to 正在上映, films that left, 开分 and score moves (arrow and number, 红涨绿跌 as the
 * cards), with a toggle that narrows the board to exactly those films and a way to put it away.
 */
export function SinceLastVisit({
  summary,
  narrowed,
  onNarrow,
  onDismiss,
}: {
  summary: SinceSummary;
  narrowed: boolean;
  onNarrow: (narrowed: boolean) => void;
  onDismiss: () => void;
}) {
  const { added, playing, left, rated, moved } = summary;
  const listName = (film: SinceFilm) => (film.list === 'upcoming' ? '（即将上映）' : '');
  return (
    <section className="since" aria-labelledby="since-title" data-testid="since-last-visit">
      <h2 id="since-title" className="since-title">
        自上次访问（{formatMonthDayClock(summary.since)}）以来
      </h2>
      <ul className="since-list">
        {added.length > 0 && (
          <Line kind="added" label={`新片 ${added.length}`}>
            <Titles films={added} note={listName} />
          </Line>
        )}
        {playing.length > 0 && (
          <Line kind="playing" label={`上映 ${playing.length}`}>
            <Titles films={playing} />
          </Line>
        )}
        {left.length > 0 && (
          <Line kind="left" label={`下映 ${left.length}`}>
            <Titles films={left} />
          </Line>
        )}
        {rated.length > 0 && (
          <Line kind="rated" label={`开分 ${rated.length}`}>
            <Titles films={rated} note={(film) => ` ${film.score.toFixed(1)}`} />
          </Line>
        )}
        {moved.length > 0 && (
          <Line kind="moved" label={`评分变化 ${moved.length}`}>
            {moved.map((film, index) => (
              <span key={film.id}>
                {index > 0 && '、'}
                <Move film={film} />
              </span>
            ))}
          </Line>
        )}
      </ul>
      <div className="since-actions">
        <button type="button" className="chip" aria-pressed={narrowed} onClick={() => onNarrow(!narrowed)}>
          只看这些
        </button>
        <button type="button" className="chip" onClick={onDismiss}>
          知道了
        </button>
      </div>
    </section>
  );
}
