import 'server-only';
import type { Bus, BusMessage } from '@/lib/bus/bus';
import { UpstreamError } from '@/lib/douban/upstream-error';
import { env } from '@/lib/env';
import type { History } from '@/lib/history/create-history';
import { logEvent } from '@/lib/log';
import type { Metrics } from '@/lib/metrics/metrics';
import type { BoardLists, BoardSnapshot, BoardStatus, BoardUpdate, NowPlayingPage } from '@/lib/types';
import type { CityBoard } from './city-board';
import type { BoardSync } from './create-board-sync';
import { diffBoards } from './diff-boards';
import { isEmptyDiff } from './diff-movies';
import { createPageJudge } from './judge-page';

/** What the poller of a city runs: its polls, and what to say when the budget holds one back. */
export interface BoardPoll {
  /** One poll; resolves whether Douban answered (the poller's backoff). Never rejects. */
  run(poll: { throttled: boolean }): Promise<boolean>;
  /** Douban's request budget holds a due poll back: a live board says so in its status. */
  onThrottled(): void;
}

/** The status reason of a live board polled less often than its interval, for Douban's budget. */
export const THROTTLED_REASON = 'douban-budget';

/**
 * One poll of a city, run by the instance that polls it: fetch Douban's page, and publish what
 * changed as bus messages (status first, then one `update`, or a `snapshot` when Douban's board
 * replaces saved data). A page with far fewer movies than the board is held back (status stale,
 * reason `suspicious-drop`) until `SUSPICIOUS_CONFIRM_POLLS` polls agree on it (see `createPageJudge`).
 * A live board whose polls the request budget holds back is `live` with reason `douban-budget`.
 * Counts fetch time by outcome and failures by reason in `metrics`.
 */
export function createBoardPoll({
  board,
  sync,
  bus,
  fetchPage,
  metrics,
  history,
}: {
  board: CityBoard;
  sync: BoardSync;
  bus: Bus;
  fetchPage: (city: string) => Promise<NowPlayingPage>;
  metrics: Metrics;
  history: History;
}): BoardPoll {
  const { city } = board;
  const judge = createPageJudge({
    dropRatio: env.suspiciousDropRatio,
    confirmPolls: env.suspiciousConfirmPolls,
  });

  const publish = async (message: BusMessage, snapshotJson: string | null) => {
    // Applied at once, not when Redis echoes it back: the next step of this poll reads the board.
    if (await bus.publish(message, snapshotJson)) {
      sync.receive(message);
      return;
    }
    // Another instance holds the lease, or published a version our board does not hold yet.
    logEvent('info', 'publish-refused', { city, version: message.version });
    await sync.catchUp();
  };

  /** `succeeded`: Douban just answered with a page we keep (else the last success stands). */
  const publishStatus = async (
    state: 'live' | 'stale',
    reason: string | null,
    succeeded = state === 'live',
  ) => {
    const now = new Date().toISOString();
    const { upstream } = board.view();
    if (upstream.state === state && upstream.reason === reason) {
      if (succeeded) board.confirm({ lastSuccessAt: now });
      return;
    }
    const lastSuccessAt = succeeded ? now : upstream.lastSuccessAt;
    const status: BoardStatus = { city, state, since: now, reason, lastSuccessAt };
    await publish(
      { city, name: 'status', version: null, previous: null, data: JSON.stringify(status) },
      null,
    );
  };

  const publishPage = async (page: BoardLists, fetchedAt: string) => {
    const current = board.view();
    const wasLive = current.source === 'douban';
    const { order, left, ...diff } = diffBoards(current.page, page);
    if (wasLive && isEmptyDiff(diff) && !order && !left) {
      board.confirm({ fetchedAt });
      return;
    }
    const previous = current.version;
    const version = await bus.nextVersion(city, previous);
    // Another event moved the board meanwhile; the next poll diffs again.
    if (board.view().version !== previous) return;
    const { nowPlaying, upcoming } = page;
    const snapshot: BoardSnapshot = {
      city,
      version,
      fetchedAt,
      stale: false,
      source: 'douban',
      nowPlaying,
      upcoming,
      ...(page.left?.length && { left: page.left }),
    };
    const snapshotJson = JSON.stringify(snapshot);
    // Saved data replaced by Douban's is a new board, not a change of the old one: send it whole.
    const update: BoardUpdate = {
      city,
      version,
      fetchedAt,
      ...diff,
      ...(order && { order }),
      ...(left && { left }),
    };
    const data = wasLive ? JSON.stringify(update) : snapshotJson;
    await publish({ city, name: wasLive ? 'update' : 'snapshot', version, previous, data }, snapshotJson);
  };

  // Writes the board and status back into a store that lost them (Redis restarted empty), so
  // instances that start now serve the full board. Same version, no `previous`: holders skip it.
  const reseedStore = async () => {
    const { upstream, version } = board.view();
    await publish(
      { city, name: 'status', version: null, previous: null, data: JSON.stringify(upstream) },
      null,
    );
    const snapshot = board.snapshotText();
    await publish({ city, name: 'snapshot', version, previous: null, data: snapshot }, snapshot);
  };

  // The page with each movie's trend. A store that fails (a full disk, Redis away) must not cost the
  // board its page, nor strip every trend (which would send every movie as changed): the movies keep
  // the trends the board has, and the next poll records again.
  const keepTrends = (page: NowPlayingPage): BoardLists => {
    const { page: shown } = board.view();
    const trends = new Map(
      [...shown.nowPlaying, ...shown.upcoming].map((movie) => [movie.id, movie.trend] as const),
    );
    const keep = (movie: NowPlayingPage['nowPlaying'][number]) => {
      const trend = trends.get(movie.id);
      return trend ? { ...movie, trend } : movie;
    };
    const lists = { nowPlaying: page.nowPlaying.map(keep), upcoming: page.upcoming.map(keep) };
    return shown.left ? { ...lists, left: shown.left } : lists;
  };
  const lease = bus.lease(city);
  const recordHistory = async (page: NowPlayingPage, at: number): Promise<BoardLists> => {
    try {
      // Only the holder of the city's lease writes its history: an instance that lost it during this
      // poll (its publish will be refused) must not record the poll a second time. Asking renews it.
      if (lease && !(await lease.acquire())) return keepTrends(page);
      return await history.record({ city, page, at, shown: board.view().page });
    } catch (cause) {
      logEvent('warn', 'history-failed', { city, error: String(cause) });
      return keepTrends(page);
    }
  };

  const logPublishFailure = (cause: unknown) =>
    logEvent('warn', 'publish-failed', { city, error: String(cause) });

  const onThrottled = () => {
    metrics.pollsThrottled.inc();
    // A stale board already says why it is not current; one never fetched says it is being fetched.
    if (board.view().upstream.state !== 'live') return;
    publishStatus('live', THROTTLED_REASON, false).catch(logPublishFailure);
  };

  const run = async ({ throttled }: { throttled: boolean }) => {
    const startedAt = Date.now();
    const endFetchTimer = metrics.upstreamFetchSeconds.startTimer();
    let page: NowPlayingPage;
    try {
      page = await fetchPage(city);
      endFetchTimer({ outcome: 'ok' });
    } catch (error) {
      endFetchTimer({ outcome: 'failed' });
      const reason = error instanceof UpstreamError ? error.reason : 'internal';
      metrics.upstreamFailures.inc({ reason });
      judge.reset();
      if (!(error instanceof UpstreamError))
        logEvent('error', 'poll-crashed', { city, error: String(error) });
      // One warn line when a city starts failing (or fails differently); the retries of the same
      // failure are debug lines, so an outage of hours is not thousands of lines.
      const { upstream } = board.view();
      const repeated = upstream.state === 'stale' && upstream.reason === reason;
      logEvent(repeated ? 'debug' : 'warn', 'poll-failed', { city, reason, ms: Date.now() - startedAt });
      await publishStatus('stale', reason).catch(logPublishFailure);
      return false;
    }
    const current = board.view();
    const judgement = judge.judge({ board: current.page, live: current.source === 'douban', page });
    if (!judgement.believed) {
      const { believed: _, ...counts } = judgement;
      metrics.upstreamFailures.inc({ reason: 'suspicious-drop' });
      logEvent('warn', 'suspicious-drop', { city, ...counts });
      await publishStatus('stale', 'suspicious-drop').catch(logPublishFailure);
      // Douban did answer: the confirming polls come at the usual interval, not after a backoff.
      return true;
    }
    if (judgement.confirmed)
      logEvent('warn', 'suspicious-drop-believed', { city, found: page.nowPlaying.length });
    if (current.upstream.state === 'stale' && current.upstream.reason !== 'not-fetched-yet') {
      logEvent('info', 'poll-recovered', {
        city,
        after: current.upstream.reason,
        since: current.upstream.since,
      });
    }
    try {
      const fetchedAt = new Date();
      const remembered = await recordHistory(page, fetchedAt.getTime());
      // Status first, so the snapshot or update that follows already reads as live.
      await publishStatus('live', throttled ? THROTTLED_REASON : null);
      await publishPage(remembered, fetchedAt.toISOString());
      if (sync.takeReseed()) await reseedStore();
      logEvent('debug', 'poll-ok', { city, ms: Date.now() - startedAt, version: board.view().version });
    } catch (cause) {
      // Douban answered; the shared store did not take it. The next poll diffs again.
      logPublishFailure(cause);
    }
    return true;
  };

  return { run, onThrottled };
}
