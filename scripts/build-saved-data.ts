/**
 * Regenerates the data the app bundles from the recorded Douban pages (`npm run fixtures:build`):
 *
 * - `lib/cities/cities.json`: the city picker of the Shanghai page, as `City[]`;
 * - `lib/douban/saved/{city}.json`: each recorded board, shown when Douban cannot be reached.
 *
 * Runs with `--conditions=react-server` so the `server-only` marker in lib/ resolves to nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'node-html-parser';
import { parseNowPlaying } from '@/lib/douban/parse-now-playing';
import type { City } from '@/lib/types';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The capture dates documented in fixtures/douban/README.md, in China's time zone. */
const SAVED_PAGES = [
  { city: 'shanghai', file: 'nowplaying-shanghai.html', recordedAt: '2024-12-05T12:00:00+08:00' },
  { city: 'shangrao', file: 'nowplaying-shangrao-2018.html', recordedAt: '2018-08-25T12:00:00+08:00' },
];

const readFixture = (file: string) => readFileSync(`${root}fixtures/douban/${file}`, 'utf8');

function writeJson(path: string, value: unknown): void {
  writeFileSync(`${root}${path}`, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`wrote ${path}`);
}

/**
 * The picker lists the 热门 (hot) block first, then every city again under its initial letter, and a
 * few cities twice within their letter, so the first mention of a uid wins.
 */
function parseCityPicker(html: string): City[] {
  const cities = new Map<string, City>();
  for (const link of parse(html).querySelectorAll('#cities-list a.city-item')) {
    const slug = link.getAttribute('uid')?.trim() ?? '';
    const name = link.text.trim();
    if (!/^[a-z0-9]{1,40}$/.test(slug) || !name) {
      throw new Error(
        `Unexpected city in the picker: uid ${JSON.stringify(slug)}, name ${JSON.stringify(name)}`,
      );
    }
    if (!cities.has(slug)) cities.set(slug, { slug, name, hot: link.closest('.hot') !== null });
  }
  if (cities.size === 0) throw new Error('The city picker (#cities-list a.city-item) is empty.');
  return [...cities.values()];
}

const cities = parseCityPicker(readFixture('nowplaying-shanghai.html'));
writeJson('lib/cities/cities.json', cities);

for (const { city, file, recordedAt } of SAVED_PAGES) {
  if (!cities.some((known) => known.slug === city)) throw new Error(`${city} is not in the city picker.`);
  const { nowPlaying, upcoming } = parseNowPlaying(readFixture(file));
  writeJson(`lib/douban/saved/${city}.json`, { city, recordedAt, nowPlaying, upcoming });
}
