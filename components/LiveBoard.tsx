'use client';

import { useCallback, useMemo, useState } from 'react';
import useSWR from 'swr';
import type { BoardSnapshot, BoardUpdate, City } from '@/lib/types';
import { arrangeMovies, isSortOffered, type SortKey } from './arrange-movies';
import { type BoardTab, BoardTabs, panelId, TABS, tabId } from './BoardTabs';
import { boardKey } from './board-key';
import { ChangeAnnouncer } from './ChangeAnnouncer';
import { MovieGrid } from './MovieGrid';
import { SortFilterBar } from './SortFilterBar';
import { StatusLine } from './StatusLine';
import { useBoardStream } from './use-board-stream';
import { useChangeAnnouncer } from './use-change-announcer';
import { useChangeCues } from './use-change-cues';
import { useNow } from './use-now';

const LISTS: Record<BoardTab, 'nowPlaying' | 'upcoming' | 'left'> = {
  nowplaying: 'nowPlaying',
  upcoming: 'upcoming',
  left: 'left',
};

/**
 * The live board of one city. Its data is the SWR key the server page seeded with the snapshot it
 * rendered; from then on the stream is the only source (no fetcher: a refetch could race the
 * updates), and its events are applied to that key.
 */
export function LiveBoard({ city }: { city: City }) {
  const { data: board } = useSWR<BoardSnapshot>(boardKey(city.slug), null);
  const [chosenTab, setTab] = useState<BoardTab>('nowplaying');
  const [sort, setSort] = useState<SortKey>('default');
  const [query, setQuery] = useState('');
  const [lastChange, setLastChange] = useState<{ city: string; at: string } | null>(null);
  const { cueStore, leavingStore, noteUpdate, clearCues } = useChangeCues();
  const { announcement, noteChanges, clearAnnouncement } = useChangeAnnouncer();

  const onUpdate = useCallback(
    (before: BoardSnapshot, update: BoardUpdate) => {
      noteUpdate(before, update);
      noteChanges(before, update);
      setLastChange({ city: update.city, at: update.fetchedAt });
    },
    [noteUpdate, noteChanges],
  );
  const onReset = useCallback(() => {
    clearCues();
    clearAnnouncement();
  }, [clearCues, clearAnnouncement]);
  const { connection, status } = useBoardStream({ city: city.slug, board, onUpdate, onReset });

  const now = useNow();
  // 最近下映 chosen, then emptied (its last film came back, or three days passed): 正在上映.
  const tab = chosenTab === 'left' && !board?.left?.length ? 'nowplaying' : chosenTab;
  const movies = board?.[LISTS[tab]] ?? [];
  const trends = movies.some((movie) => movie.trend);
  // A trend sort chosen on a board that then lost its trends (or on the other tab) shows Douban's order.
  const shownSort = isSortOffered({ key: sort, category: tab, trends }) ? sort : 'default';
  const rows = useMemo(() => {
    const leaving = [...leavingStore.values()].map((entry) => entry.value);
    return arrangeMovies({
      movies,
      // A removed film fades out of its list (and shows in 最近下映 when the history keeps it).
      leaving: leaving.filter((gone) => gone.movie.category === tab),
      sort: shownSort,
      query,
    });
  }, [movies, leavingStore, tab, shownSort, query]);
  const cueOf = useCallback((id: string) => cueStore.get(id)?.value, [cueStore]);

  if (!board) return <p className="empty">正在载入 {city.name} 的影讯…</p>;
  const counts = {
    nowplaying: board.nowPlaying.length,
    upcoming: board.upcoming.length,
    left: board.left?.length ?? 0,
  };

  return (
    <section className="board" aria-label={`${city.name}影讯`}>
      <StatusLine
        board={board}
        connection={connection}
        status={status}
        lastChangeAt={lastChange?.city === city.slug ? lastChange.at : null}
      />
      <ChangeAnnouncer announcement={announcement} />
      <div className="toolbar">
        <BoardTabs active={tab} counts={counts} onSelect={setTab} />
        <SortFilterBar
          category={tab}
          trends={trends}
          sort={shownSort}
          query={query}
          onSort={setSort}
          onQuery={setQuery}
        />
      </div>
      {TABS.filter(({ id }) => counts[id] > 0 || id !== 'left').map(({ id }) => (
        <div
          key={id}
          role="tabpanel"
          id={panelId(id)}
          aria-labelledby={tabId(id)}
          hidden={id !== tab}
          className="panel"
        >
          {id === tab &&
            (rows.length > 0 ? (
              <MovieGrid rows={rows} city={city.slug} now={now} cueOf={cueOf} />
            ) : (
              <p className="empty">
                {query.trim() ? `没有符合“${query.trim()}”的影片。` : emptyText(board, id)}
              </p>
            ))}
        </div>
      ))}
    </section>
  );
}

function emptyText(board: BoardSnapshot, category: BoardTab): string {
  if (board.source === 'none') return '还没有这个城市的影讯，拿到后会自动出现。';
  return category === 'upcoming' ? '暂时没有即将上映的影片。' : '暂时没有正在上映的影片。';
}
