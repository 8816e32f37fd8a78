import type { KeyboardEvent, MouseEvent } from 'react';
import { useRef } from 'react';
import type { MovieCategory } from '@/lib/types';
import { useHydrated } from './use-hydrated';

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

/** A click the browser should handle itself: another button, or a modifier (new tab, new window). */
function opensElsewhere(event: MouseEvent): boolean {
  return event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}

/**
 * 正在上映 / 即将上映 (/ 最近下映, only while it has films): a link each, to the URL of the board's
 * view on that tab (`hrefOf`), so they work without JavaScript. Once the page runs they are an ARIA
 * tablist whose clicks switch in place (`onSelect`): one tab stop, arrows (and Home/End) move and
 * select, Enter/Space select. https://www.w3.org/WAI/ARIA/apg/patterns/tabs/ Before, a tablist would
 * promise arrow keys that do nothing, and the roving tab stop would hide the other tabs from the
 * keyboard: the links are a plain navigation, the current one marked `aria-current`.
 */
export function BoardTabs({
  active,
  counts,
  hrefOf,
  onSelect,
}: {
  active: BoardTab;
  counts: Record<BoardTab, number>;
  hrefOf: (tab: BoardTab) => string;
  onSelect: (tab: BoardTab) => void;
}) {
  const tabbed = useHydrated();
  const refs = useRef(new Map<BoardTab, HTMLAnchorElement>());
  const tabs = TABS.filter((tab) => tab.id !== 'left' || counts.left > 0);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const index = tabs.findIndex((tab) => tab.id === active);
    // A link follows on Enter (a click, handled below) but not on Space, which a tab takes too.
    const focused = tabs.findIndex((tab) => refs.current.get(tab.id) === event.target);
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: tabs.length - 1,
      ' ': focused,
    };
    const target = moves[event.key];
    if (target === undefined || target === -1) return;
    event.preventDefault();
    const next = tabs[(target + tabs.length) % tabs.length].id;
    onSelect(next);
    refs.current.get(next)?.focus();
  };

  return (
    <nav
      className="tabs"
      role={tabbed ? 'tablist' : undefined}
      aria-label="影片列表"
      onKeyDown={tabbed ? onKeyDown : undefined}
    >
      {tabs.map((tab) => {
        const selected = tab.id === active;
        return (
          // biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-selected and aria-controls are set only with role="tab" (both follow `tabbed`).
          <a
            key={tab.id}
            ref={(node) => {
              if (node) refs.current.set(tab.id, node);
              else refs.current.delete(tab.id);
            }}
            href={hrefOf(tab.id)}
            id={tabId(tab.id)}
            className="tab"
            role={tabbed ? 'tab' : undefined}
            aria-selected={tabbed ? selected : undefined}
            aria-controls={tabbed ? panelId(tab.id) : undefined}
            aria-current={!tabbed && selected ? 'page' : undefined}
            tabIndex={tabbed ? (selected ? 0 : -1) : undefined}
            onClick={(event) => {
              if (opensElsewhere(event)) return;
              event.preventDefault();
              onSelect(tab.id);
            }}
          >
            {tab.label} <span className="tab-count">{counts[tab.id]}</span>
          </a>
        );
      })}
    </nav>
  );
}
