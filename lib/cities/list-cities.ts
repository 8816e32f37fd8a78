import 'server-only';
import type { City } from '@/lib/types';
import cities from './cities.json';

/**
 * Every city Douban's picker offers (343 in the recording), hot cities first in the picker's order,
 * then the rest by initial letter. A fresh array each call, so callers may sort or filter it in place.
 */
export function listCities(): City[] {
  return cities.map((city) => ({ ...city }));
}
