import { formatMonthDayClock } from '@/lib/chart/format-china-date';
import type { ListingEvent } from '@/lib/types';

const ENTERED: Record<'nowplaying' | 'upcoming', string> = { nowplaying: '正在上映', upcoming: '即将上映' };

function describeEvent(event: ListingEvent, first: boolean): string {
  if (event.list === null) return '下映（离开片单）';
  // The first event may be the city's first poll, when the film was already listed: not an entry.
  return first ? `首次看到，在${ENTERED[event.list]}中` : `进入${ENTERED[event.list]}`;
}

/** A film's entries into and exits from one city's lists, oldest first. */
export function FilmListing({ listing, cityName }: { listing: readonly ListingEvent[]; cityName: string }) {
  if (listing.length === 0) return <p className="empty">还没有看到这部电影出现在{cityName}的片单上。</p>;
  return (
    <ol className="film-listing" data-testid="film-listing">
      {listing.map((event, index) => (
        <li key={event.at}>
          <time dateTime={new Date(event.at).toISOString()}>{formatMonthDayClock(event.at)}</time>{' '}
          {describeEvent(event, index === 0)}
        </li>
      ))}
    </ol>
  );
}
