// No `server-only`: the film page's live chart formats the same labels in the browser. Arithmetic on
// a fixed offset rather than Intl: China has one zone and no summer time, and the server render and
// the browser's hydration must print the very same characters whatever their locale data.

const CHINA_OFFSET_MS = 8 * 3_600_000;

function chinaParts(at: number): { month: number; day: number; hour: number; minute: number } {
  const date = new Date(at + CHINA_OFFSET_MS);
  return {
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
  };
}

/** "11月29日" in Beijing time. */
export function formatMonthDay(at: number): string {
  const { month, day } = chinaParts(at);
  return `${month}月${day}日`;
}

/** "14:05" in Beijing time. */
export function formatClock(at: number): string {
  const { hour, minute } = chinaParts(at);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** "11月29日 14:05" in Beijing time. */
export function formatMonthDayClock(at: number): string {
  return `${formatMonthDay(at)} ${formatClock(at)}`;
}
