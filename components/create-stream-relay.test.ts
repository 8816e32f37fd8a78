import { describe, expect, it } from 'vitest';
import { createStreamRelay, type StreamRelay } from './create-stream-relay';
import type { ConnectionState, RelayedEvent, RelayMessage } from './relay-message';

const update = (version: number): RelayedEvent => ({ name: 'update', data: `u${version}`, version });
const snapshot = (version: number): RelayedEvent => ({ name: 'snapshot', data: `s${version}`, version });
const status = (state: string): RelayedEvent => ({ name: 'status', data: state, version: null });

interface FakeStream {
  /** What the relay asked to resume from when the stream opened. */
  from: number | null;
  send: (event: RelayedEvent) => void;
  connect: (state: ConnectionState) => void;
  closed: boolean;
}

interface Tab {
  name: string;
  relay: StreamRelay;
  /** What reached the page. */
  delivered: RelayedEvent[];
  connection: ConnectionState;
  streams: FakeStream[];
  fetches: number;
  left: boolean;
}

/**
 * Tabs of one browser on one city: a BroadcastChannel (each message reaches every other open tab, in
 * the order posted, once `flush` runs; asynchronous as in browsers) and a Web Lock (requests wait in
 * line; the next one is granted when the holder leaves).
 */
function createBrowser({ fetchBoard = async () => null as RelayedEvent | null } = {}) {
  const queue: { to: Tab[]; message: RelayMessage }[] = [];
  const tabs: Tab[] = [];
  const line: Tab[] = [];

  const grant = () => {
    const next = line[0];
    if (next && !next.left) next.relay.hold();
  };

  const open = ({
    name,
    version,
    board,
    limit,
  }: {
    name: string;
    version: number | null;
    board?: () => RelayedEvent | null;
    limit?: number;
  }): Tab => {
    const tab = {
      name,
      delivered: [],
      connection: 'connecting',
      streams: [],
      fetches: 0,
      left: false,
    } as unknown as Tab;
    tab.relay = createStreamRelay({
      tab: name,
      version,
      limit,
      // A channel opened after a message was posted does not receive it.
      post: (message) => queue.push({ to: tabs.filter((other) => other !== tab), message }),
      openStream: ({ lastEventId, onEvent, onConnection }) => {
        const stream: FakeStream = {
          from: lastEventId(),
          send: onEvent,
          connect: onConnection,
          closed: false,
        };
        tab.streams.push(stream);
        return () => {
          stream.closed = true;
        };
      },
      readBoard: board,
      fetchBoard: () => {
        tab.fetches += 1;
        return fetchBoard();
      },
      deliver: (event) => tab.delivered.push(event),
      onConnection: (state) => {
        tab.connection = state;
      },
    });
    tabs.push(tab);
    line.push(tab);
    if (line.length === 1) grant();
    return tab;
  };

  const close = (tab: Tab) => {
    tab.left = true;
    tab.relay.close();
    const holder = line[0] === tab;
    line.splice(line.indexOf(tab), 1);
    if (holder) grant();
  };

  /**
   * Delivers every message posted, and those posted in answer (a board fetch included), until none is
   * left; bounded.
   */
  const flush = async () => {
    for (let round = 0; round < 100; round += 1) {
      if (queue.length === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      const next = queue.shift();
      if (!next) return;
      for (const tab of next.to) if (!tab.left) tab.relay.receive(next.message);
    }
    throw new Error('the tabs kept talking');
  };

  return {
    open,
    close,
    flush,
    openStreams: () => tabs.flatMap((tab) => tab.streams.filter((s) => !s.closed)),
  };
}

const versions = (tab: Tab) => tab.delivered.map((event) => event.version ?? event.data);

describe('createStreamRelay', () => {
  it('opens one stream for all the tabs, in the first tab, resuming from the version it renders', async () => {
    const browser = createBrowser();
    const first = browser.open({ name: 'a', version: 10 });
    browser.open({ name: 'b', version: 10 });
    browser.open({ name: 'c', version: 11 });
    await browser.flush();
    expect(browser.openStreams()).toHaveLength(1);
    expect(first.streams[0]?.from).toBe(10);
  });

  it("hands each of the holder's events to every tab, its own included, once and in order", async () => {
    const browser = createBrowser();
    const holder = browser.open({ name: 'a', version: 10 });
    const others = [browser.open({ name: 'b', version: 10 }), browser.open({ name: 'c', version: 10 })];
    await browser.flush();
    const stream = holder.streams[0] as FakeStream;
    stream.send(update(11));
    stream.send(status('stale'));
    stream.send(update(11));
    stream.send(update(12));
    await browser.flush();
    for (const tab of [holder, ...others]) expect(versions(tab)).toEqual([11, 'stale', 12]);
  });

  it('passes on the connection: each tab shows the state of the link the holder has', async () => {
    const browser = createBrowser();
    const holder = browser.open({ name: 'a', version: 10 });
    const follower = browser.open({ name: 'b', version: 10 });
    await browser.flush();
    expect(follower.connection).toBe('connecting');
    (holder.streams[0] as FakeStream).connect('open');
    await browser.flush();
    expect([holder.connection, follower.connection]).toEqual(['open', 'open']);
    (holder.streams[0] as FakeStream).connect('reconnecting');
    await browser.flush();
    expect(follower.connection).toBe('reconnecting');
  });

  it('catches up a tab that joins behind with the updates it missed, then the live ones, none twice', async () => {
    const browser = createBrowser();
    const holder = browser.open({ name: 'a', version: 10 });
    const stream = holder.streams[0] as FakeStream;
    stream.connect('open');
    stream.send(status('live'));
    for (const version of [11, 12, 13]) stream.send(update(version));
    const late = browser.open({ name: 'b', version: 11 });
    // Sent after the late tab's hello but before the holder reads it: it reaches the tab first.
    stream.send(update(14));
    await browser.flush();
    stream.send(update(15));
    await browser.flush();
    expect(versions(late)).toEqual(['live', 12, 13, 14, 15]);
    expect(late.connection).toBe('open');
    expect(late.streams).toEqual([]);
  });

  it('gives a tab that joins ahead of the holder nothing until the holder passes its version', async () => {
    const browser = createBrowser();
    const holder = browser.open({ name: 'a', version: 10 });
    const ahead = browser.open({ name: 'b', version: 12 });
    await browser.flush();
    const stream = holder.streams[0] as FakeStream;
    for (const version of [11, 12, 13]) stream.send(update(version));
    await browser.flush();
    expect(versions(ahead)).toEqual([13]);
  });

  it("sends a tab too far behind for the log the holder's board and the updates after it", async () => {
    const browser = createBrowser();
    let board = snapshot(10);
    const holder = browser.open({ name: 'a', version: 10, limit: 2, board: () => board });
    const stream = holder.streams[0] as FakeStream;
    stream.send(update(11));
    board = snapshot(11);
    stream.send(update(12));
    stream.send(update(13));
    const old = browser.open({ name: 'b', version: 9 });
    await browser.flush();
    expect(versions(old)).toEqual([11, 12, 13]);
    expect(old.delivered[0]?.name).toBe('snapshot');
  });

  it('fetches the board when the holder has none to send, then asks again and gets the rest', async () => {
    const browser = createBrowser({ fetchBoard: async () => snapshot(12) });
    // A film page: it keeps no board.
    const holder = browser.open({ name: 'film', version: 10, limit: 1 });
    const stream = holder.streams[0] as FakeStream;
    stream.send(update(11));
    stream.send(update(12));
    const board = browser.open({ name: 'board', version: 9 });
    await browser.flush();
    stream.send(update(13));
    await browser.flush();
    expect(board.fetches).toBe(1);
    expect(versions(board)).toEqual([12, 13]);
    expect(board.delivered[0]?.name).toBe('snapshot');
  });

  it('stops fetching when the board cannot be had, and takes events as they come', async () => {
    const browser = createBrowser();
    const holder = browser.open({ name: 'film', version: 10, limit: 1 });
    const stream = holder.streams[0] as FakeStream;
    stream.send(update(11));
    stream.send(update(12));
    const board = browser.open({ name: 'board', version: 9 });
    await browser.flush();
    stream.send(update(13));
    await browser.flush();
    expect(board.fetches).toBe(1);
    expect(versions(board)).toEqual([13]);
  });

  it('when the holder leaves, the next tab resumes the stream from its last version and every tab goes on without a gap', async () => {
    const browser = createBrowser();
    const tabs = ['a', 'b', 'c', 'd'].map((name) => browser.open({ name, version: 10 }));
    const [first, second, ...rest] = tabs as [Tab, Tab, ...Tab[]];
    await browser.flush();
    (first.streams[0] as FakeStream).connect('open');
    (first.streams[0] as FakeStream).send(update(11));
    await browser.flush();

    browser.close(first);
    expect(first.streams[0]?.closed).toBe(true);
    expect(second.streams).toHaveLength(1);
    const stream = second.streams[0] as FakeStream;
    expect(stream.from).toBe(11);
    // Until the new stream is open, the link it followed is gone.
    expect(second.connection).toBe('reconnecting');
    await browser.flush();
    for (const tab of rest) expect(tab.connection).toBe('reconnecting');
    // What the server sends on resuming: only the events after 11.
    stream.connect('open');
    stream.send(update(12));
    await browser.flush();
    for (const tab of [second, ...rest]) {
      expect(versions(tab)).toEqual([11, 12]);
      expect(tab.connection).toBe('open');
      expect(tab.delivered.some((event) => event.name === 'snapshot')).toBe(false);
    }
    expect(browser.openStreams()).toHaveLength(1);
  });

  it('a tab that takes over while still waiting for its catch-up drops what it kept and resumes from its own version', async () => {
    const browser = createBrowser();
    const holder = browser.open({ name: 'a', version: 10 });
    const stream = holder.streams[0] as FakeStream;
    stream.send(update(11));
    const late = browser.open({ name: 'b', version: 9 });
    // The holder passes on 12, then closes before it reads the late tab's hello.
    stream.send(update(12));
    browser.close(holder);
    await browser.flush();
    expect(late.delivered).toEqual([]);
    expect(late.streams[0]?.from).toBe(9);
  });

  it('ignores an answer to an older hello', async () => {
    const browser = createBrowser();
    const first = browser.open({ name: 'a', version: 10 });
    const second = browser.open({ name: 'b', version: 10 });
    const late = browser.open({ name: 'c', version: 10 });
    await browser.flush();
    (first.streams[0] as FakeStream).send(update(11));
    await browser.flush();
    // The late tab greets the holder and, before the answer, hears of a new holder: it greets that one.
    late.relay.receive({ kind: 'holder', tab: 'b' });
    late.relay.receive({
      kind: 'catch-up',
      to: 'c',
      hello: 1,
      gap: false,
      events: [update(99)],
      status: null,
      connection: 'open',
    });
    expect(versions(late)).toEqual([11]);
    expect(second.streams).toEqual([]);
  });

  it('a tab that leaves closes its stream and delivers nothing more; a tab that left never takes the stream', async () => {
    const browser = createBrowser();
    const holder = browser.open({ name: 'a', version: 10 });
    const follower = browser.open({ name: 'b', version: 10 });
    await browser.flush();
    follower.relay.close();
    follower.relay.hold();
    (holder.streams[0] as FakeStream).send(update(11));
    await browser.flush();
    expect(follower.delivered).toEqual([]);
    expect(follower.streams).toEqual([]);
    browser.close(holder);
    expect(browser.openStreams()).toEqual([]);
  });
});
