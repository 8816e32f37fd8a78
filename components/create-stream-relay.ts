import { createEventLog } from './create-event-log';
import type { ConnectionState, RelayedEvent, RelayMessage } from './relay-message';

/** Consecutive `gap` answers after which a tab stops fetching the board and takes events as they come. */
const MAX_GAPS = 3;

export interface StreamRelay {
  /** A message from another tab on the city's channel. */
  receive(message: RelayMessage): void;
  /** This tab won the city's lock: it opens the stream and serves the other tabs from now on. */
  hold(): void;
  /** The page leaves (or freezes): the stream, if held, is closed; nothing is delivered any more. */
  close(): void;
}

export type OpenStream = (options: {
  /** Read at each (re)open: the version to resume from. */
  lastEventId: () => number | null;
  onEvent: (event: RelayedEvent) => void;
  onConnection: (state: ConnectionState) => void;
}) => () => void;

/**
 * One tab's part in sharing a city's stream among the browser's tabs. Exactly one tab (the one the
 * caller's lock elects; `hold()`) opens the stream; it hands each event to its own page and posts it
 * to the others, and answers each `hello` with what that tab missed. The others follow: they take
 * the holder's events, and when a tab (re)joins or the holder changes they say which version they
 * hold and wait for the answer, keeping what arrives meanwhile, so nothing is lost or applied out of
 * order. Every tab keeps the same log, so any of them can take over and resume the stream from the
 * last version it had, with nothing to ask the server but the events after it.
 *
 * Pure: the channel, the stream and the board fetch are given, so tests drive it with fakes.
 */
export function createStreamRelay({
  tab,
  version,
  post,
  openStream,
  readBoard,
  fetchBoard,
  deliver,
  onConnection,
  limit,
}: {
  /** This tab's id on the channel, unique among the tabs. */
  tab: string;
  /** The version the page holds (server-rendered), `null`: none. */
  version: number | null;
  /** Posts to every other tab of the city (BroadcastChannel never echoes to its sender). */
  post: (message: RelayMessage) => void;
  openStream: OpenStream;
  /** The board on screen as a snapshot, for a tab too far behind for the log; none on the film page. */
  readBoard?: () => RelayedEvent | null;
  /** The city's board from the server, for when no tab can catch this one up gaplessly. */
  fetchBoard: () => Promise<RelayedEvent | null>;
  /** Hands an event to this tab's page: each once, updates in order and above the version held. */
  deliver: (event: RelayedEvent) => void;
  onConnection: (state: ConnectionState) => void;
  /** Updates kept for tabs that join later. */
  limit?: number;
}): StreamRelay {
  const log = createEventLog({ version, limit });
  let role: 'follower' | 'holder' | 'closed' = 'follower';
  let connection: ConnectionState = 'connecting';
  let closeStream: (() => void) | null = null;
  // The `hello` whose answer this tab waits for, and the holder's events that came meanwhile.
  let hellos = 0;
  let awaiting: number | null = null;
  let waiting: RelayedEvent[] = [];
  let gaps = 0;

  const take = (event: RelayedEvent) => {
    if (log.take(event)) deliver(event);
  };
  const setConnection = (state: ConnectionState) => {
    if (state === connection) return;
    connection = state;
    onConnection(state);
  };
  const hello = () => {
    hellos += 1;
    awaiting = hellos;
    post({ kind: 'hello', tab, hello: hellos, version: log.version });
  };
  const finishCatchUp = () => {
    awaiting = null;
    const held = waiting;
    waiting = [];
    for (const event of held) take(event);
  };

  const onCatchUp = (answer: Extract<RelayMessage, { kind: 'catch-up' }>) => {
    if (answer.to !== tab || answer.hello !== awaiting) return;
    setConnection(answer.connection);
    if (answer.status) take(answer.status);
    if (!answer.gap) {
      gaps = 0;
      for (const event of answer.events) take(event);
      finishCatchUp();
      return;
    }
    // The holder cannot bring this tab's version to its own (a film page keeps no board, and this
    // tab is older than its log). The server's current board is at least as new as anything the
    // holder has, so after it the holder's log covers the rest.
    gaps += 1;
    const asked = awaiting;
    void fetchBoard().then((board) => {
      if (role !== 'follower' || awaiting !== asked) return;
      if (board) take(board);
      if (board && gaps < MAX_GAPS) hello();
      // No board, or still a gap: rather than ask forever, take events as they come (the page still
      // applies only updates above its version) until the next holder answers.
      else finishCatchUp();
    });
  };

  hello();

  return {
    receive(message) {
      if (role === 'closed') return;
      if (role === 'holder') {
        if (message.kind !== 'hello') return;
        const events = log.catchUp(message.version, readBoard);
        post({
          kind: 'catch-up',
          to: message.tab,
          hello: message.hello,
          gap: events === null,
          events: events ?? [],
          status: log.status,
          connection,
        });
        return;
      }
      switch (message.kind) {
        case 'holder':
          // An answer the previous holder owed may never come; the new one answers from its log.
          hello();
          return;
        case 'catch-up':
          onCatchUp(message);
          return;
        case 'event':
          if (awaiting !== null) waiting.push(message.event);
          else take(message.event);
          return;
        case 'connection':
          setConnection(message.state);
          return;
      }
    },
    hold() {
      if (role !== 'follower') return;
      role = 'holder';
      // What came from the last holder while waiting may sit above a gap; the stream resumes from
      // the version this tab holds and the server sends what is missing.
      awaiting = null;
      waiting = [];
      post({ kind: 'holder', tab });
      if (connection === 'open') setConnection('reconnecting');
      closeStream = openStream({
        lastEventId: () => log.version,
        onEvent: (event) => {
          if (!log.take(event)) return;
          deliver(event);
          post({ kind: 'event', event });
        },
        onConnection: (state) => {
          setConnection(state);
          post({ kind: 'connection', state });
        },
      });
    },
    close() {
      role = 'closed';
      closeStream?.();
      closeStream = null;
    },
  };
}
