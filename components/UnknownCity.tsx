import type { City } from '@/lib/types';
import type { BoardView } from './board-view';
import { CityPicker } from './CityPicker';

/** What `/?city=<something we do not know>` shows instead of a board. */
export function UnknownCity({
  input,
  cities,
  fallback,
  view,
}: {
  input: string;
  cities: City[];
  fallback: City;
  /** The board's view the URL asked for, if any: the city form carries it to the city chosen. */
  view?: BoardView;
}) {
  const shown = Array.from(input).slice(0, 40).join('');
  return (
    <main className="page">
      <header className="masthead">
        <h1>正在上映</h1>
      </header>
      <section className="notice" aria-labelledby="unknown-city">
        <h2 id="unknown-city">没有找到这个城市</h2>
        <p>豆瓣的城市列表里没有 “{shown}”。城市请用中文名或拼音，例如 上海（shanghai）。</p>
        <p>
          <a href={`/?city=${fallback.slug}`}>回到{fallback.name}的影讯</a>，或者换一个城市：
        </p>
        <CityPicker cities={cities} current={null} view={view} />
      </section>
    </main>
  );
}
