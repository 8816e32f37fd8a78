import { formatClock, formatMonthDay } from './format-china-date';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CHINA_OFFSET_MS = 8 * HOUR;

/** Steps a reader counts time in, shortest first; past two weeks, ticks fall on the 1st of months. */
const STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
];
const MONTH_STEPS = [1, 2, 3, 6, 12];

export interface TimeTick {
  at: number;
  label: string;
}

/** The first of each `months`-th month in Beijing time, from `from` to `to`. */
function monthTicks({ from, to, months }: { from: number; to: number; months: number }): number[] {
  const start = new Date(from + CHINA_OFFSET_MS);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  const ticks: number[] = [];
  for (;;) {
    if (month > 11) {
      year += Math.floor(month / 12);
      month %= 12;
    }
    const at = Date.UTC(year, month, 1) - CHINA_OFFSET_MS;
    if (at > to) return ticks;
    if (month % months === 0) ticks.push(at);
    month += 1;
  }
}

/**
 * Ticks for a time axis from `from` to `to` (ms epoch), at most `max` of them, on round times of
 * Beijing's clock: minutes or hours within a day (labelled "14:05", midnight as "11月30日"), days
 * ("11月29日"), then the 1st of months. History can be an hour old or a year old; both get an axis a
 * reader can count.
 */
export function timeTicks({ from, to, max = 6 }: { from: number; to: number; max?: number }): TimeTick[] {
  if (!(to > from)) return [{ at: from, label: formatMonthDay(from) }];
  const span = to - from;
  const step = STEPS.find((candidate) => span / candidate <= max);
  if (step === undefined) {
    const months = MONTH_STEPS.find((candidate) => span / (candidate * 30 * DAY) <= max) ?? 12;
    return monthTicks({ from, to, months }).map((at) => ({ at, label: formatMonthDay(at) }));
  }
  const ticks: TimeTick[] = [];
  const first = Math.ceil((from + CHINA_OFFSET_MS) / step) * step - CHINA_OFFSET_MS;
  for (let at = first; at <= to; at += step) {
    const midnight = (at + CHINA_OFFSET_MS) % DAY === 0;
    ticks.push({ at, label: step >= DAY || midnight ? formatMonthDay(at) : formatClock(at) });
  }
  return ticks;
}
