const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** How far back a date without a year may lie: a film stays in 即将上映 a few days past its date. */
const PAST_DAYS = 60;

const MONTH_DAY = /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
const ISO_DATE = /(\d{4})-(\d{1,2})-(\d{1,2})/;

/** The calendar date as ms at 00:00 UTC, or null when there is no such date (2月30日, 13月01日). */
function dayOf(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const at = Date.UTC(year, month - 1, day);
  return new Date(at).getUTCDate() === day ? at : null;
}

/**
 * The release day an upcoming film's `releaseDate` names ("12月06日上映", "2025年01月03日上映",
 * "2025-01-03"), as ms at 00:00 UTC of that calendar date, or null when the text names no valid date.
 * Douban leaves the year out: it is the year that puts the date from 60 days before `today` (Beijing's
 * calendar) to 305 days after, so a December page's "01月03日上映" is next January's.
 */
export function parseReleaseDate({ text, today }: { text: string | null; today: number }): number | null {
  if (!text) return null;
  const iso = ISO_DATE.exec(text);
  if (iso) return dayOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const found = MONTH_DAY.exec(text);
  if (!found) return null;
  const [month, day] = [Number(found[2]), Number(found[3])];
  if (found[1]) return dayOf(Number(found[1]), month, day);

  const beijing = new Date(today + BEIJING_OFFSET_MS);
  const reference = Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate());
  const from = reference - PAST_DAYS * DAY_MS;
  const year = beijing.getUTCFullYear();
  for (const candidate of [year - 1, year, year + 1].map((y) => dayOf(y, month, day))) {
    if (candidate !== null && candidate >= from && candidate < from + 365 * DAY_MS) return candidate;
  }
  return null;
}
