import type { City } from '@/lib/types';

/**
 * Cities matching what the user typed, by Chinese name (anywhere in it) or pinyin slug (its start):
 * exact matches first, then prefix matches, then the rest, each group in the given order (hot first).
 */
export function findCities(cities: City[], input: string): City[] {
  const q = input.trim().toLowerCase();
  if (q === '') return cities;
  const rank = (city: City) => {
    if (city.name === q || city.slug === q) return 0;
    if (city.name.startsWith(q) || city.slug.startsWith(q)) return 1;
    if (city.name.includes(q)) return 2;
    return -1;
  };
  return cities
    .map((city) => ({ city, rank: rank(city) }))
    .filter((entry) => entry.rank >= 0)
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => entry.city);
}
