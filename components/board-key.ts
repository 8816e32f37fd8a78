/**
 * The SWR key of a city's board. The server page seeds `SWRConfig fallback` under it and the stream
 * hook mutates the same key, so both sides must build it here.
 */
export function boardKey(city: string): string {
  return `/api/movies?city=${encodeURIComponent(city)}`;
}
