import 'server-only';
import type { NowPlayingPage } from '@/lib/types';

/** Below this many movies a drop ratio means little: a small city's board shrinks for real. */
const MIN_JUDGED_COUNT = 4;

export type Judgement =
  | { believed: true; confirmed: boolean }
  | {
      believed: false;
      /** Movies now playing on the board and on the new page. */
      previous: number;
      found: number;
      /** Upcoming movies on the board and on the new page. */
      previousUpcoming: number;
      foundUpcoming: number;
      /** How many polls in a row have brought this same smaller list, this one included. */
      agreeing: number;
      needed: number;
    };

export interface PageJudge {
  /** Whether to publish `page` over `board` (`live`: the board came from Douban, not saved data). */
  judge(input: { board: NowPlayingPage; live: boolean; page: NowPlayingPage }): Judgement;
  /** A poll that brought no page breaks a run of agreeing polls. */
  reset(): void;
}

/**
 * Decides whether a parsed page is believed. A page whose now-playing or upcoming list has fewer than
 * `dropRatio` × the live board's (when that list had at least 4), or with no movie now playing, is
 * more likely a half-rendered,
 * A/B-tested or tampered page than a mass removal: it is held back until `confirmPolls` polls in a
 * row bring the same smaller list (the same ids), and then believed. `dropRatio` 0 turns the ratio
 * off (an empty list stays suspicious); `confirmPolls` 1 believes every page at once.
 */
export function createPageJudge({
  dropRatio,
  confirmPolls,
}: {
  dropRatio: number;
  confirmPolls: number;
}): PageJudge {
  let pending: { ids: string; polls: number } | null = null;
  return {
    judge({ board, live, page }) {
      const collapsed = (before: number, after: number) =>
        before >= MIN_JUDGED_COUNT && after < dropRatio * before;
      const suspicious =
        live &&
        ((board.nowPlaying.length > 0 && page.nowPlaying.length === 0) ||
          collapsed(board.nowPlaying.length, page.nowPlaying.length) ||
          collapsed(board.upcoming.length, page.upcoming.length));
      if (!suspicious) {
        pending = null;
        return { believed: true, confirmed: false };
      }
      const ids = [...page.nowPlaying, ...page.upcoming]
        .map((movie) => movie.id)
        .sort()
        .join(' ');
      const polls = pending?.ids === ids ? pending.polls + 1 : 1;
      if (polls >= confirmPolls) {
        pending = null;
        return { believed: true, confirmed: true };
      }
      pending = { ids, polls };
      return {
        believed: false,
        previous: board.nowPlaying.length,
        found: page.nowPlaying.length,
        previousUpcoming: board.upcoming.length,
        foundUpcoming: page.upcoming.length,
        agreeing: polls,
        needed: confirmPolls,
      };
    },
    reset() {
      pending = null;
    },
  };
}
