import type { Movie } from '@/lib/types';

/**
 * The regions that make a film 华语: the mainland, Hong Kong, Taiwan and Macau, as Douban writes them
 * today (中国大陆, 中国香港, 中国台湾, 中国澳门) and on older pages (香港, 台湾, 澳门: the 2018 Shangrao
 * page in fixtures/douban/ lists "中国大陆 香港"; 大陆, 中国内地 and 中国 on older subjects).
 */
export const CHINESE_REGIONS: ReadonlySet<string> = new Set([
  '中国大陆',
  '中国香港',
  '中国台湾',
  '中国澳门',
  '香港',
  '台湾',
  '澳门',
  '大陆',
  '中国内地',
  '中国',
]);

/**
 * 华语 (`cn`) or 外语 (`intl`), by the film's first region: Douban lists the leading production
 * region first, so a co-production counts as its first region's (巨齿鲨, "美国 中国大陆 香港", is
 * 外语; 山河故人, "中国大陆 法国 日本", is 华语). `null` when Douban gives no region.
 */
export function filmRegion(movie: Pick<Movie, 'regions'>): 'cn' | 'intl' | null {
  const [first] = movie.regions;
  if (first === undefined) return null;
  return CHINESE_REGIONS.has(first) ? 'cn' : 'intl';
}
