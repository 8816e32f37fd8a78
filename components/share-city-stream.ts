import { boardSnapshotSchema } from '@/lib/schema/board';
import type { BoardEventName } from '@/lib/types';
import { boardKey } from './board-key';
import { createStreamRelay, type OpenStream } from './create-stream-relay';
import { holdWebLock } from './hold-web-lock';
import { openCityStream } from './open-city-stream';
import { type ConnectionState, parseRelayMessage, RELAY_PROTOCOL, type RelayedEvent } from './relay-message';

const EVENT_NAMES: readonly BoardEventName[] = ['snapshot', 'update', 'status'];

/** An SSE event as the relay carries it; the id (`lastEventId`) is the board's version. */
function toRelayedEvent(name: BoardEventName, event: Event): RelayedEvent {
  const { data, lastEventId } = event as MessageEvent<string>;
  const version = name === 'status' ? Number.NaN : Number(lastEventId);
  return { name, data, version: Number.isSafeInteger(version) && version > 0 ? version : null };
}

function streamOpener(city: string): OpenStream {
  return ({ lastEventId, onEvent, onConnection }) =>
    openCityStream({
      city,
      lastEventId,
      listeners: Object.fromEntries(
        EVENT_NAMES.map((name) => [name, (event: Event) => onEvent(toRelayedEvent(name, event))]),
      ),
      onOpen: () => onConnection('open'),
      onError: () => onConnection('reconnecting'),
    });
}

/** GET /api/movies as a snapshot event: for a tab that no other tab can catch up (rare). */
async function fetchBoard(city: string): Promise<RelayedEvent | null> {
  try {
    const response = await fetch(boardKey(city));
    if (!response.ok) return null;
    const data = await response.text();
    const parsed = boardSnapshotSchema.safeParse(JSON.parse(data));
    if (!parsed.success || parsed.data.city !== city) return null;
    return { name: 'snapshot', data, version: parsed.data.version };
  } catch {
    return null;
  }
}

/**
 * Web Locks exist only in secure contexts (https, localhost) and, like BroadcastChannel, not in
 * older browsers; without them each tab opens its own stream, as before the streams were shared.
 */
function canShare(): boolean {
  return typeof BroadcastChannel === 'function' && typeof navigator.locks?.request === 'function';
}

/**
 * Follows a city's event stream with one `EventSource` for all the browser's tabs on that city (the
 * board and the film page alike): the tab elected by a Web Lock holds it and relays its events over
 * BroadcastChannel (see createStreamRelay). Browsers allow six HTTP/1.1 connections per site across
 * all tabs, so a stream per tab left the seventh tab, and every other request to the site, waiting.
 * `listeners` get each event's data, as from the tab's own stream: updates in order, once each.
 * `readBoard` lets this tab's board catch up a tab that joins far behind. Returns the function that
 * leaves.
 */
export function shareCityStream({
  city,
  lastEventId,
  listeners,
  onConnection,
  readBoard,
}: {
  city: string;
  /** The version the page holds, `null`: none. */
  lastEventId: () => number | null;
  listeners: Partial<Record<BoardEventName, (data: string) => void>>;
  onConnection?: (state: ConnectionState) => void;
  readBoard?: () => RelayedEvent | null;
}): () => void {
  const deliver = (event: RelayedEvent) => listeners[event.name]?.(event.data);
  const connectionChanged = (state: ConnectionState) => onConnection?.(state);
  const openStream = streamOpener(city);
  if (!canShare()) return openStream({ lastEventId, onEvent: deliver, onConnection: connectionChanged });

  // Versioned, so that tabs still running an older deploy keep to themselves.
  const name = `now-showing:stream:v${RELAY_PROTOCOL}:${city}`;
  const join = () => {
    const channel = new BroadcastChannel(name);
    const relay = createStreamRelay({
      tab: crypto.randomUUID(),
      version: lastEventId(),
      post: (message) => channel.postMessage(message),
      openStream,
      readBoard,
      fetchBoard: () => fetchBoard(city),
      deliver,
      onConnection: connectionChanged,
    });
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const message = parseRelayMessage(event.data);
      if (message) relay.receive(message);
    };
    const release = holdWebLock({ name, onHeld: () => relay.hold() });
    return () => {
      // The stream closes before the lock goes, so the next holder's stream is never a second one.
      relay.close();
      release();
      channel.close();
    };
  };

  // A frozen tab (in the back/forward cache, or frozen by the browser to save power) runs nothing:
  // holding the stream, it would starve the others; following, it would miss events. It leaves, and
  // joins again from the version its page holds when it comes back.
  let leave: (() => void) | null = join();
  const onFreeze = () => {
    leave?.();
    leave = null;
  };
  const onResume = () => {
    leave ??= join();
  };
  const onPageHide = (event: PageTransitionEvent) => {
    if (event.persisted) onFreeze();
  };
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) onResume();
  };
  document.addEventListener('freeze', onFreeze);
  document.addEventListener('resume', onResume);
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('pageshow', onPageShow);
  return () => {
    document.removeEventListener('freeze', onFreeze);
    document.removeEventListener('resume', onResume);
    window.removeEventListener('pagehide', onPageHide);
    window.removeEventListener('pageshow', onPageShow);
    onFreeze();
  };
}
