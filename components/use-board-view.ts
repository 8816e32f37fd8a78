import { useCallback, useEffect, useState } from 'react';
import {
  type BoardView,
  boardViewHref,
  type ChosenSorts,
  isSameView,
  parseBoardView,
  rememberSort,
  viewOfTab,
} from './board-view';

interface ViewState {
  view: BoardView;
  /** The sort last chosen on each tab: a look at another tab, whose list cannot take it, does not lose it. */
  chosen: ChosenSorts;
}

function show(state: ViewState, next: BoardView): ViewState {
  return { view: next, chosen: rememberSort({ chosen: state.chosen, before: state.view, after: next }) };
}

/**
 * The board's view (tab, sort, filters), kept in the page's URL so it can be shared and reloaded. It
 * starts as the server rendered it; a change replaces the URL with `history.replaceState`: no
 * navigation, so no request and the stream goes on. Back/forward (and a board mounted from Next's
 * cache, which holds the view the page was first rendered with) follow the address bar. `tabView`
 * is the view a tab's link opens (see `viewOfTab`): its href, and what a click on it shows.
 */
export function useBoardView({ city, initial }: { city: string; initial: BoardView }): {
  view: BoardView;
  changeView: (view: BoardView) => void;
  tabView: (tab: BoardView['tab']) => BoardView;
} {
  const [state, setState] = useState<ViewState>(() => ({
    view: initial,
    chosen: rememberSort({ chosen: {}, before: null, after: initial }),
  }));

  useEffect(() => {
    const follow = () => {
      const shown = parseBoardView(new URLSearchParams(window.location.search));
      // The same view keeps its state: a query typed with a trailing space stays as typed.
      setState((current) => (isSameView(current.view, shown) ? current : show(current, shown)));
    };
    follow();
    window.addEventListener('popstate', follow);
    return () => window.removeEventListener('popstate', follow);
  }, []);

  const changeView = useCallback(
    (next: BoardView) => {
      setState((current) => show(current, next));
      // Next's router keeps its own state in history entries and adds it to a null state.
      window.history.replaceState(null, '', boardViewHref({ city, view: next }));
    },
    [city],
  );
  const { view, chosen } = state;
  const tabView = useCallback((tab: BoardView['tab']) => viewOfTab({ view, tab, chosen }), [view, chosen]);
  return { view, changeView, tabView };
}
