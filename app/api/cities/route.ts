import { listCities } from '@/lib/cities/list-cities';

/** Every city Douban lists now-showing pages for: `[{ slug, name, hot }]`, hot cities first. */
export function GET(): Response {
  return Response.json(listCities(), { headers: { 'Cache-Control': 'public, max-age=86400' } });
}
