import type { Metadata } from 'next';
import { FilmListing } from '@/components/FilmListing';
import { FilmLive } from '@/components/FilmLive';
import { FilmMarkButtons } from '@/components/FilmMarkButtons';
import { FilmMissing } from '@/components/FilmMissing';
import { FollowNotices } from '@/components/FollowNotices';
import { FollowThreshold } from '@/components/FollowThreshold';
import { UnknownCity } from '@/components/UnknownCity';
import { listCities } from '@/lib/cities/list-cities';
import { parseCity } from '@/lib/cities/parse-city';
import { env } from '@/lib/env';
import { readFilmPage } from '@/lib/film/read-film-page';
import { getServices } from '@/lib/services';

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

async function readInput(props: Props): Promise<{ id: string; city: string }> {
  const [{ id }, { city }] = await Promise.all([props.params, props.searchParams]);
  return { id, city: (Array.isArray(city) ? city[0] : city)?.trim() || env.defaultCity };
}

export const metadata: Metadata = { title: '电影 · 正在上映 · Now Showing' };

/** `/movies/<id>?city=<slug>`: one film's recorded history, in the city's eyes, live. */
export default async function Page(props: Props) {
  const input = await readInput(props);
  const page = await readFilmPage({ ...input, services: getServices() });
  if (page.kind === 'unknown-city') {
    return <UnknownCity input={page.input} cities={listCities()} fallback={parseCity(env.defaultCity)} />;
  }
  if (page.kind !== 'film') return <FilmMissing reason={page.kind} id={input.id} city={page.city} />;

  const { city, film, movie } = page;
  // Title, poster and facts: as the board lists the film, else as a page last listed it.
  const look = movie ?? page.card;
  const title = look?.title ?? `豆瓣电影 ${film.id}`;
  return (
    <main className="page film-page">
      <nav className="film-nav">
        <a href={`/?city=${city.slug}`} data-testid="back-to-board">
          ← 回到{city.name}的影讯
        </a>
      </nav>
      <header className="film-head">
        <div className="film-poster poster">
          {look?.posterUrl ? (
            // biome-ignore lint/performance/noImgElement: posters come through our own /api/poster proxy, as on the cards.
            <img
              src={`/api/poster?url=${encodeURIComponent(look.posterUrl)}`}
              alt={title}
              width={270}
              height={383}
            />
          ) : (
            <span className="poster-missing">暂无海报</span>
          )}
        </div>
        <div>
          <h1 className="film-title">{title}</h1>
          {look && (
            <p className="film-facts">
              {[look.year, look.regions.join(' / '), look.directors.join(' / ')].filter(Boolean).join(' · ')}
            </p>
          )}
          <p>
            <a
              href={look?.url ?? `https://movie.douban.com/subject/${film.id}/`}
              target="_blank"
              rel="noopener noreferrer"
            >
              豆瓣页面
            </a>
          </p>
          <FilmMarkButtons id={film.id} title={title} />
          <FollowThreshold id={film.id} />
        </div>
      </header>
      <FollowNotices />
      <FilmLive
        city={city.slug}
        cityName={city.name}
        film={film}
        movie={movie}
        version={page.version}
        renderedAt={Date.now()}
      />
      <section className="film-section" aria-labelledby="film-listing-title">
        <h2 id="film-listing-title">在{city.name}的上映记录</h2>
        <FilmListing listing={film.listing} cityName={city.name} />
      </section>
      <footer className="footer">
        数据来自<a href="https://movie.douban.com/cinema/nowplaying/">豆瓣电影</a>
        ，自本站第一次看到这部电影起记录。
      </footer>
    </main>
  );
}
