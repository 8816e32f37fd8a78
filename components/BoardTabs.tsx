import { type KeyboardEvent, useRef } from 'react';
import type { MovieCategory } from '@/lib/types';

/** A tab of the board: Douban's two lists, and 最近下映 (films that left within three days). */
export type BoardTab = MovieCategory | 'left';

export const TABS: { id: BoardTab; label: string }[] = [
  { id: 'nowplaying', label: '正在上映' },
  { id: 'upcoming', label: '即将上映' },
  { id: 'left', label: '最近下映' },
];

export function tabId(tab: BoardTab): string {
  return `tab-${tab}`;
}

export function panelId(tab: BoardTab): string {
  return `panel-${tab}`;
}

/**
 * 正在上映 / 即将上映 (/ 最近下映, only while it has films) as an ARIA tablist: one tab stop, arrows
 * (and Home/End) move and select, Enter/Space select. https://www.w3.org/WAI/ARIA/apg/patterns/tabs/
 */
export function BoardTabs({
  active,
  counts,
  onSelect,
}: {
  active: BoardTab;
  counts: Record<BoardTab, number>;
  onSelect: (tab: BoardTab) => void;
}) {
  const refs = useRef(new Map<BoardTab, HTMLButtonElement>());
  const tabs = TABS.filter((tab) => tab.id !== 'left' || counts.left > 0);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === active);
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = tabs[(target + tabs.length) % tabs.length].id;
    onSelect(next);
    refs.current.get(next)?.focus();
  };

  return (
    <div className="tabs" role="tablist" aria-label="影片列表" onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const selected = tab.id === active;
        return (
          <button
            key={tab.id}
            ref={(node) => {
              if (node) refs.current.set(tab.id, node);
              else refs.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={tabId(tab.id)}
            aria-selected={selected}
            aria-controls={panelId(tab.id)}
            tabIndex={selected ? 0 : -1}
            className="tab"
            onClick={() => onSelect(tab.id)}
          >
            {tab.label} <span className="tab-count">{counts[tab.id]}</span>
          </button>
        );
      })}
    </div>
  );
}
