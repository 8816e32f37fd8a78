import { type KeyboardEvent, useRef } from 'react';
import type { MovieCategory } from '@/lib/types';

export const TABS: { id: MovieCategory; label: string }[] = [
  { id: 'nowplaying', label: '正在上映' },
  { id: 'upcoming', label: '即将上映' },
];

export function tabId(category: MovieCategory): string {
  return `tab-${category}`;
}

export function panelId(category: MovieCategory): string {
  return `panel-${category}`;
}

/**
 * 正在上映 / 即将上映 as an ARIA tablist: one tab stop, arrows (and Home/End) move and select,
 * Enter/Space select. https://www.w3.org/WAI/ARIA/apg/patterns/tabs/
 */
export function BoardTabs({
  active,
  counts,
  onSelect,
}: {
  active: MovieCategory;
  counts: Record<MovieCategory, number>;
  onSelect: (category: MovieCategory) => void;
}) {
  const refs = useRef(new Map<MovieCategory, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((tab) => tab.id === active);
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: TABS.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = TABS[(target + TABS.length) % TABS.length].id;
    onSelect(next);
    refs.current.get(next)?.focus();
  };

  return (
    <div className="tabs" role="tablist" aria-label="影片列表" onKeyDown={onKeyDown}>
      {TABS.map((tab) => {
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
