import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SWRConfig } from 'swr';
import { boardKey } from '@/components/board-key';
import { boardViewHref, isCanonicalView, parseBoardView } from '@/components/board-view';
import { CityPicker } from '@/components/CityPicker';
import { LiveBoard } from '@/components/LiveBoard';
import { UnknownCity } from '@/components/UnknownCity';
import { readBoard } from '@/lib/board/read-board';
import { listCities } from '@/lib/cities/list-cities';
import { parseCity } from '@/lib/cities/parse-city';
import { env } from '@/lib/env';
import { HttpError } from '@/lib/errors';
import { getServices } from '@/lib/services';
import type { City } from '@/lib/types';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The `city` parameter as typed: the first one if repeated; the default city when absent or empty. */
async function readCityParam(props: Props): Promise<string> {
  const { city } = await props.searchParams;
  return (Array.isArray(city) ? city[0] : city)?.trim() || env.defaultCity;
}

function findCity(input: string): City | null {
  try {
    return parseCity(input);
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) return null;
    throw error;
  }
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const city = findCity(await readCityParam(props));
  return city ? { title: `${city.name} · 正在上映 · Now Showing` } : {};
}

export default async function Page(props: Props) {
  const input = await readCityParam(props);
  const searchParams = await props.searchParams;
  const view = parseBoardView(searchParams);
  const cities = listCities();
  const city = findCity(input);
  if (!city) {
    // The no-JavaScript city form submits what was typed, often a Chinese name.
    const named = cities.find((candidate) => candidate.name === input);
    if (named) redirect(boardViewHref({ city: named.slug, view }));
    return <UnknownCity input={input} cities={cities} fallback={parseCity(env.defaultCity)} view={view} />;
  }

  // The no-JavaScript filter form submits every field, defaults and bad values too: one redirect to
  // the short URL the board writes itself, so every view has one address.
  if (!isCanonicalView(searchParams)) redirect(boardViewHref({ city: city.slug, view }));

  const snapshot = await readBoard({ city: city.slug, boards: getServices().boards });
  return (
    <main className="page">
      <header className="masthead">
        <div>
          <h1>
            正在上映 <span className="masthead-city">{city.name}</span>
          </h1>
          <p className="tagline">豆瓣电影影讯，评分变化实时推送</p>
        </div>
        <CityPicker cities={cities} current={city} view={view} />
      </header>
      <SWRConfig value={{ fallback: { [boardKey(city.slug)]: snapshot } }}>
        <LiveBoard city={city} initialView={view} />
      </SWRConfig>
      <footer className="footer">
        数据来自<a href="https://movie.douban.com/cinema/nowplaying/">豆瓣电影</a>，海报经本站转发。
      </footer>
    </main>
  );
}
