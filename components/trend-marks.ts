import { DAY, startOfChinaDay } from '@/lib/history/compute-trend';
import type { Movie } from '@/lib/types';
import { measureTrend } from './measure-trend';

/** One mark on a card: its short text, and the sentence a screen reader hears instead. */
export interface TrendMark {
  kind: 'left' | 'rated' | 'new-release' | 'released-today' | 'score' | 'votes' | 'wish';
  text: string;
  label: string;
  /** Only for changes: they are coloured (红涨绿跌 in zh-CN), and always carry ▲/▼ and a number. */
  direction?: 'up' | 'down';
}

/** How long 开分 and 新上映 stay on a card. */
export const RATED_MARK_MS = 7 * DAY;
export const NEW_RELEASE_MARK_MS = 3 * DAY;

const dayFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'long',
  day: 'numeric',
});
const grouped = new Intl.NumberFormat('zh-CN');

/** 3,210 below ten thousand; 1.2万 (one decimal, none when it is 0) from there. */
export function formatCount(count: number): string {
  if (count < 10_000) return grouped.format(count);
  return `${(count / 10_000).toFixed(1).replace(/\.0$/, '')}万`;
}

const NOUNS = { score: '评分', votes: '评价', wish: '想看' } as const;

function changeMark({
  kind,
  change,
  since,
}: {
  kind: keyof typeof NOUNS;
  change: number | undefined;
  since: string;
}): TrendMark | null {
  if (change === undefined || change === 0) return null;
  const up = change > 0;
  const size = Math.abs(change);
  // A score moves by tenths; counts are told with their sign, the way Douban's fans quote them.
  const amount = kind === 'score' ? size.toFixed(1) : `${up ? '+' : '−'}${formatCount(size)}`;
  const verb = kind === 'score' ? (up ? '上升' : '下降') : up ? '增加' : '减少';
  return {
    kind,
    direction: up ? 'up' : 'down',
    text: `${NOUNS[kind]} ${up ? '▲' : '▼'}${amount}`,
    label: `${since}${NOUNS[kind]}${verb}${kind === 'score' ? amount : formatCount(size)}`,
  };
}

/**
 * The marks of a movie at `now` (ms), from its `trend` and current values: 开分 (first score within 7
 * days, with its date), 今日上映 (came from 即将上映 on this Chinese calendar day) or else 新上映
 * (entered 正在上映 within 3 days), then its score, vote and 想看 changes since the trend's base. None
 * without a trend (saved boards, HISTORY=off), and none for a change that is zero or unknown. A film
 * of 最近下映 has one: the day it left (its other marks were those of a board it is no longer on).
 */
export function listTrendMarks({ movie, now }: { movie: Movie; now: number }): TrendMark[] {
  const { trend } = movie;
  if (!trend) return [];
  if (trend.leftAt !== undefined) {
    const day = dayFormat.format(trend.leftAt);
    return [{ kind: 'left', text: `${day}下映`, label: `${day}起不在本市上映` }];
  }
  const marks: TrendMark[] = [];
  // A mark computed a little before the server's clock (the page's clock ticks by the minute) would
  // see a time just ahead of it: that is "now", not the future, and still within the window.
  if (trend.ratedAt !== undefined && movie.score !== null && now - trend.ratedAt < RATED_MARK_MS) {
    const day = dayFormat.format(trend.ratedAt);
    marks.push({ kind: 'rated', text: `开分 ${day}`, label: `${day}开分` });
  }
  const { playingAt } = trend;
  if (movie.category === 'nowplaying' && playingAt !== undefined) {
    if (trend.fromUpcoming && startOfChinaDay(playingAt) === startOfChinaDay(now)) {
      marks.push({ kind: 'released-today', text: '今日上映', label: '今日上映' });
    } else if (now - playingAt < NEW_RELEASE_MARK_MS) {
      marks.push({
        kind: 'new-release',
        text: '新上映',
        label: `${dayFormat.format(playingAt)}起在本市上映`,
      });
    }
  }
  // The base is 24 hours old unless we first saw the movie later (an hour's slack for the clocks).
  const since = trend.base.at <= now - DAY + 3_600_000 ? '24小时内' : '首次见到以来';
  const move = measureTrend(movie);
  for (const kind of ['score', 'votes', 'wish'] as const) {
    const mark = changeMark({ kind, change: move[kind], since });
    if (mark) marks.push(mark);
  }
  return marks;
}
