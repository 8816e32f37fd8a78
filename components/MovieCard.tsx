import { memo } from 'react';
import type { Movie } from '@/lib/types';
import type { Cue } from './describe-changes';
import { FilmMarkButtons } from './FilmMarkButtons';
import { TrendLink } from './TrendLink';
import { TrendMarks } from './TrendMarks';
import { listTrendMarks } from './trend-marks';

const count = new Intl.NumberFormat('zh-CN');

function scoreText(score: number | null): string {
  return score === null ? '暂无' : score.toFixed(1);
}

function Stars({ stars }: { stars: number }) {
  // Douban's star level is 0–50; the filled layer is clipped to that share of five stars.
  return (
    <span className="stars" aria-hidden="true">
      <span className="stars-fill" style={{ width: `${Math.min(100, stars * 2)}%` }} />
    </span>
  );
}

function ChangeBadge({ cue }: { cue: Cue }) {
  if (cue.kind === 'new') return <span className="badge badge-new">新</span>;
  const label = cue.kind === 'up' ? '评分上升' : '评分下降';
  return (
    <span className={`badge badge-${cue.kind}`} title={label}>
      <span className="visually-hidden">{label}</span>
      <span aria-hidden="true">{cue.kind === 'up' ? '↑' : '↓'}</span> {scoreText(cue.from)}→
      {scoreText(cue.to)}
    </span>
  );
}

function Rating({ movie }: { movie: Movie }) {
  if (movie.category === 'upcoming') {
    return (
      <p className="rating">
        {movie.releaseDate && <span className="release">{movie.releaseDate}</span>}
        {movie.wish !== null && <span className="votes">{count.format(movie.wish)}人想看</span>}
      </p>
    );
  }
  return (
    <p className="rating">
      {movie.score === null ? (
        <span className="score score-none" data-testid="movie-score">
          暂无评分
        </span>
      ) : (
        <>
          {movie.stars !== null && <Stars stars={movie.stars} />}
          <span className="visually-hidden">豆瓣评分</span>
          <span className="score" data-testid="movie-score">
            {movie.score.toFixed(1)}
          </span>
        </>
      )}
      {movie.votes !== null && <span className="votes">{count.format(movie.votes)}人评价</span>}
    </p>
  );
}

function Facts({ movie }: { movie: Movie }) {
  const line = [movie.year, movie.duration, movie.regions.join(' / ')].filter(Boolean).join(' · ');
  return (
    <dl className="facts">
      {line && (
        <div>
          <dt className="visually-hidden">年份 / 片长 / 地区</dt>
          <dd>{line}</dd>
        </div>
      )}
      {movie.directors.length > 0 && (
        <div>
          <dt>导演</dt>
          <dd>{movie.directors.join(' / ')}</dd>
        </div>
      )}
      {movie.actors.length > 0 && (
        <div>
          <dt>主演</dt>
          <dd>{movie.actors.join(' / ')}</dd>
        </div>
      )}
    </dl>
  );
}

/**
 * One movie. Memoized and keyed by id in the grid: an update re-renders only the cards whose movie
 * object or cue changed, and the clock (`now`, ms) re-renders them all when it ticks, so a mark that
 * expires (开分 after 7 days, 今日上映 at midnight) goes without waiting for an update.
 */
export const MovieCard = memo(function MovieCard({
  movie,
  city,
  now,
  cue,
  leaving = false,
}: {
  movie: Movie;
  /** The board's city slug: the film's page shows its history there. */
  city: string;
  now: number;
  cue?: Cue;
  leaving?: boolean;
}) {
  const change = leaving ? 'removed' : cue?.kind;
  // A film of 最近下映: no tickets to sell any more.
  const left = movie.trend?.leftAt !== undefined;
  return (
    <li
      className="card"
      data-testid="movie-card"
      data-movie-id={movie.id}
      data-change={change}
      data-left={left || undefined}
    >
      {cue && !leaving && <span key={cue.version} className={`flash flash-${cue.kind}`} aria-hidden="true" />}
      <div className="poster">
        {movie.posterUrl ? (
          // biome-ignore lint/performance/noImgElement: posters come through our own /api/poster proxy, already sized by Douban.
          <img
            src={`/api/poster?url=${encodeURIComponent(movie.posterUrl)}`}
            alt={movie.title}
            width={270}
            height={383}
            loading="lazy"
            decoding="async"
          />
        ) : (
          <span className="poster-missing">暂无海报</span>
        )}
      </div>
      <div className="card-body">
        <h2 className="title">
          <a href={movie.url} target="_blank" rel="noopener noreferrer">
            {movie.title}
          </a>
          {cue && !leaving && <ChangeBadge cue={cue} />}
        </h2>
        <Rating movie={movie} />
        <TrendMarks marks={listTrendMarks({ movie, now })} />
        <Facts movie={movie} />
        <div className="card-actions">
          <FilmMarkButtons id={movie.id} title={movie.title} />
          {movie.trend && <TrendLink movie={movie} city={city} />}
          {movie.ticketUrl && !left && (
            <a className="ticket" href={movie.ticketUrl} target="_blank" rel="noopener noreferrer">
              选座购票<span className="visually-hidden">：{movie.title}</span>
            </a>
          )}
        </div>
      </div>
    </li>
  );
});
