'use client';

import { useCallback, useMemo, useState } from 'react';
import useSWR from 'swr';
import type { BoardSnapshot, BoardUpdate, City } from '@/lib/types';
import { arrangeMovies, resolveSort } from './arrange-movies';
import { type BoardTab, BoardTabs, panelId, TABS, tabId } from './BoardTabs';
import { boardKey } from './board-key';
import { type BoardView, boardViewHref, DEFAULT_BOARD_VIEW, isSameView } from './board-view';
import { ChangeAnnouncer } from './ChangeAnnouncer';
import { createMovieFilter } from './create-movie-filter';
import { detectBoardFollowEvents } from './detect-follow-events';
import { FollowNotices } from './FollowNotices';
import { MovieGrid } from './MovieGrid';
import { SinceLastVisit } from './SinceLastVisit';
import { SortFilterBar } from './SortFilterBar';
import { StatusLine } from './StatusLine';
import { tellFollowed } from './tell-followed';
import { useBoardStream } from './use-board-stream';
import { useBoardView } from './use-board-view';
import { useChangeAnnouncer } from './use-change-announcer';
import { useChangeCues } from './use-change-cues';
import { useMine } from './use-film-marks';
import { useHydrated } from './use-hydrated';
import { useNow } from './use-now';
import { useSinceLastVisit } from './use-since-last-visit';
import { filmMarksStore } from './viewer-stores';

const LISTS: Record<BoardTab, 'nowPlaying' | 'upcoming' | 'left'> = {
  nowplaying: 'nowPlaying',
  upcoming: 'upcoming',
  left: 'left',
};

/**
 * The live board of one city. Its data is the SWR key the server page seeded with the snapshot it
 * rendered; from then on the stream is the only source (no fetcher: a refetch could race the
 * updates), and its events are applied to that key. What it shows (tab, sort, filters) is the URL's
 * view, rendered by the server as `initialView`; the `mine` filter takes the viewer's marks from this
 * browser (`useMine`).
 */
export function LiveBoard({ city, initialView }: { city: City; initialView: BoardView }) {
  const { data: board } = useSWR<BoardSnapshot>(boardKey(city.slug), null);
  const { view, changeView, tabView } = useBoardView({ city: city.slug, initial: initialView });
  // The server cannot know the viewer's marks: until the page runs, the `mine` filter is not applied.
  const mine = useMine();
  const hydrated = useHydrated();
  const marks = hydrated ? mine : null;
  const [lastChange, setLastChange] = useState<{ city: string; at: string } | null>(null);
  const { cueStore, leavingStore, noteUpdate, clearCues } = useChangeCues();
  const { announcement, noteChanges, clearAnnouncement } = useChangeAnnouncer();

  const onUpdate = useCallback(
    (before: BoardSnapshot, update: BoardUpdate) => {
      noteUpdate(before, update);
      noteChanges(before, update);
      setLastChange({ city: update.city, at: update.fetchedAt });
      const marks = filmMarksStore.read();
      tellFollowed(detectBoardFollowEvents({ board: before, update, marks, cityName: city.name }));
    },
    [noteUpdate, noteChanges, city.name],
  );
  const onReset = useCallback(() => {
    clearCues();
    clearAnnouncement();
  }, [clearCues, clearAnnouncement]);
  const { connection, status, snapshots } = useBoardStream({ city: city.slug, board, onUpdate, onReset });

  const since = useSinceLastVisit({ city: city.slug, board });
  const now = useNow();
  // 最近下映 chosen, then emptied (its last film came back, or three days passed): 正在上映.
  const tab = view.tab === 'left' && !board?.left?.length ? 'nowplaying' : view.tab;
  const movies = board?.[LISTS[tab]] ?? [];
  const trends = movies.some((movie) => movie.trend);
  // A trend sort chosen on a board that then lost its trends (or on the other tab) shows Douban's order.
  const shownSort = resolveSort({ key: view.sort, category: tab, trends });
  // Douban's release dates have no year: the board's fetch dates them.
  const today = board?.fetchedAt ? Date.parse(board.fetchedAt) : now;
  const rows = useMemo(() => {
    const leaving = [...leavingStore.values()].map((entry) => entry.value);
    return arrangeMovies({
      movies,
      // A removed film fades out of its list (and shows in 最近下映 when the history keeps it).
      leaving: leaving.filter((gone) => gone.movie.category === tab),
      sort: shownSort,
      filter: createMovieFilter({ view, marks }),
      today,
    });
  }, [movies, leavingStore, tab, shownSort, view, marks, today]);
  // "只看这些": the cards narrowed to the films of the summary, apart from the other filters.
  const only = since.only;
  const cards = useMemo(() => (only ? rows.filter(({ movie }) => only.has(movie.id)) : rows), [rows, only]);
  const cueOf = useCallback((id: string) => cueStore.get(id)?.value, [cueStore]);

  if (!board) return <p className="empty">正在载入 {city.name} 的影讯…</p>;
  const counts = {
    nowplaying: board.nowPlaying.length,
    upcoming: board.upcoming.length,
    left: board.left?.length ?? 0,
  };

  return (
    // data-version, data-snapshots: which version is on screen, and whether a snapshot ever replaced it.
    <section
      className="board"
      aria-label={`${city.name}影讯`}
      data-version={board.version}
      data-snapshots={snapshots}
    >
      <StatusLine
        board={board}
        connection={connection}
        status={status}
        lastChangeAt={lastChange?.city === city.slug ? lastChange.at : null}
      />
      <ChangeAnnouncer announcement={announcement} />
      <FollowNotices />
      {since.summary && (
        <SinceLastVisit
          summary={since.summary}
          narrowed={since.narrowed}
          onNarrow={since.setNarrowed}
          onDismiss={since.dismiss}
        />
      )}
      <div className="toolbar">
        <BoardTabs
          active={tab}
          counts={counts}
          hrefOf={(id) => boardViewHref({ city: city.slug, view: tabView(id) })}
          onSelect={(id) => changeView(tabView(id))}
        />
        <SortFilterBar
          city={city.slug}
          view={view}
          tab={tab}
          sort={shownSort}
          trends={trends}
          scripted={marks !== null}
          onChange={changeView}
        />
      </div>
      {TABS.filter(({ id }) => counts[id] > 0 || id !== 'left').map(({ id }) => (
        // Tab panels once the tabs are a tablist (see BoardTabs); before, the links' target.
        // biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-labelledby is set only with role="tabpanel" (both follow `hydrated`).
        <div
          key={id}
          role={hydrated ? 'tabpanel' : undefined}
          id={panelId(id)}
          aria-labelledby={hydrated ? tabId(id) : undefined}
          hidden={id !== tab}
          className="panel"
        >
          {id === tab &&
            (cards.length > 0 ? (
              <MovieGrid rows={cards} city={city.slug} now={now} cueOf={cueOf} />
            ) : (
              <p className="empty">
                {rows.length > 0 && only
                  ? '这一栏没有上次访问以来变化的影片。'
                  : movies.length > 0
                    ? filteredOutText(view)
                    : emptyText(board, id)}
              </p>
            ))}
        </div>
      ))}
    </section>
  );
}

/** Every film of the tab filtered out: by the text alone, say which. */
function filteredOutText(view: BoardView): string {
  const query = view.q.trim();
  const textOnly = isSameView(view, { ...DEFAULT_BOARD_VIEW, tab: view.tab, sort: view.sort, q: view.q });
  return query && textOnly ? `没有符合“${query}”的影片。` : '没有符合筛选条件的影片。';
}

function emptyText(board: BoardSnapshot, category: BoardTab): string {
  if (board.source === 'none') return '还没有这个城市的影讯，拿到后会自动出现。';
  return category === 'upcoming' ? '暂时没有即将上映的影片。' : '暂时没有正在上映的影片。';
}
