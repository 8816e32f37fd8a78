import { useCallback, useEffect, useState } from 'react';
import { type BoardView, boardViewHref, isSameView, parseBoardView } from './board-view';

/**
 * The board's view (tab, sort, filters), kept in the page's URL so it can be shared and reloaded. It
 * starts as the server rendered it; a change replaces the URL with `history.replaceState`: no
 * navigation, so no request and the stream goes on. Back/forward (and a board mounted from Next's
 * cache, which holds the view the page was first rendered with) follow the address bar.
 */
export function useBoardView({
  city,
  initial,
}: {
  city: string;
  initial: BoardView;
}): [BoardView, (view: BoardView) => void] {
  const [view, setView] = useState(initial);

  useEffect(() => {
    const follow = () => {
      const shown = parseBoardView(new URLSearchParams(window.location.search));
      // The same view keeps its state: a query typed with a trailing space stays as typed.
      setView((current) => (isSameView(current, shown) ? current : shown));
    };
    follow();
    window.addEventListener('popstate', follow);
    return () => window.removeEventListener('popstate', follow);
  }, []);

  const changeView = useCallback(
    (next: BoardView) => {
      setView(next);
      // Next's router keeps its own state in history entries and adds it to a null state.
      window.history.replaceState(null, '', boardViewHref({ city, view: next }));
    },
    [city],
  );
  return [view, changeView];
}
