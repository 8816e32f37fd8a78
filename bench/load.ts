// The load generator of `npm run bench`, a process of its own (forked by bench/run.ts with an IPC
// channel) so that its work does not run on the server's event loop. It opens N SSE connections with
// plain `http.request` (no keep-alive agent, no EventSource: that is too heavy for 10,000 clients) and
// parses just enough of each stream: blocks end at a blank line, and only a block's first bytes are
// kept, to read its `event:` and to recognise an expected update. Times are ms since the epoch.
import { type ClientRequest, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ClientTimes, LoadCommand, LoadMessage, LoadReport } from './load-protocol';

/** Bytes of a block kept for reading its fields: an update of one movie fits many times over. */
const HEAD_BYTES = 8192;
const LF = 10;
const MAX_ERRORS = 10;

const now = () => performance.timeOrigin + performance.now();

interface Expected {
  index: number;
  needles: string[];
}

const state = {
  n: 0,
  times: emptyTimes(0),
  clients: [] as Client[],
  expected: [] as Expected[],
  updateCounts: [] as number[],
  updateBytes: [] as number[],
  snapshotBytes: 0,
  opened: 0,
  connected: 0,
  snapshots: 0,
  failed: 0,
  errors: [] as string[],
  unexpectedUpdates: 0,
  extraSnapshots: 0,
  heartbeats: 0,
  opener: null as ReturnType<typeof setInterval> | null,
};

function emptyTimes(n: number): ClientTimes {
  return {
    requested: new Array(n).fill(Number.NaN),
    connected: new Array(n).fill(Number.NaN),
    snapshot: new Array(n).fill(Number.NaN),
    updates: [],
  };
}

/** One SSE connection and the part of the current block read so far. */
class Client {
  readonly index: number;
  req: ClientRequest | null = null;
  closing = false;
  failed = false;
  private head = '';
  private blockBytes = 0;
  private lastWasLf = false;

  constructor(index: number) {
    this.index = index;
  }

  open(url: URL): void {
    state.times.requested[this.index] = now();
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      agent: false,
      headers: { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' },
    });
    this.req = req;
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        this.fail(`HTTP ${res.statusCode}`);
        res.resume();
        return;
      }
      state.times.connected[this.index] = now();
      state.connected++;
      res.on('data', (chunk: Buffer) => this.read(chunk, now()));
      res.on('close', () => {
        if (!this.closing) this.fail('the server ended the stream');
      });
    });
    req.on('error', (error) => {
      if (!this.closing) this.fail(error.message);
    });
    req.end();
  }

  fail(why: string): void {
    if (this.failed) return;
    this.failed = true;
    state.failed++;
    if (state.errors.length < MAX_ERRORS) state.errors.push(`client ${this.index}: ${why}`);
    this.req?.destroy();
  }

  close(): void {
    this.closing = true;
    this.req?.destroy();
    this.req = null;
  }

  /** Splits the bytes into blocks at each blank line ("\n\n", possibly across chunks). */
  read(chunk: Buffer, at: number): void {
    let pos = 0;
    while (pos < chunk.length) {
      let end: number;
      if (this.lastWasLf && chunk[pos] === LF) end = pos;
      else {
        const found = chunk.indexOf('\n\n', pos);
        end = found === -1 ? -1 : found + 1;
      }
      const stop = end === -1 ? chunk.length : end + 1;
      if (this.head.length < HEAD_BYTES) {
        this.head += chunk.toString('utf8', pos, Math.min(stop, pos + HEAD_BYTES - this.head.length));
      }
      this.blockBytes += stop - pos;
      if (end === -1) {
        this.lastWasLf = chunk[chunk.length - 1] === LF;
        return;
      }
      this.dispatch(at);
      this.head = '';
      this.blockBytes = 0;
      this.lastWasLf = false;
      pos = stop;
    }
  }

  private dispatch(at: number): void {
    const head = this.head;
    if (head.startsWith(':')) {
      state.heartbeats++;
      return;
    }
    const event = /^event: ?(.*)$/m.exec(head)?.[1];
    if (event === 'snapshot') {
      if (!Number.isNaN(state.times.snapshot[this.index] as number)) {
        state.extraSnapshots++;
        return;
      }
      state.times.snapshot[this.index] = at;
      state.snapshots++;
      state.snapshotBytes ||= this.blockBytes;
    } else if (event === 'update') {
      const expected = state.expected.find(({ needles }) => needles.every((needle) => head.includes(needle)));
      const times = expected && state.times.updates[expected.index];
      if (!expected || !times || !Number.isNaN(times[this.index] as number)) {
        state.unexpectedUpdates++;
        return;
      }
      times[this.index] = at;
      state.updateCounts[expected.index] = (state.updateCounts[expected.index] ?? 0) + 1;
      state.updateBytes[expected.index] ||= this.blockBytes;
    }
  }
}

function open({ url, n, rate }: { url: string; n: number; rate: number }): void {
  closeAll();
  const target = new URL(url);
  Object.assign(state, {
    n,
    times: emptyTimes(n),
    clients: Array.from({ length: n }, (_, index) => new Client(index)),
    expected: [],
    updateCounts: [],
    updateBytes: [],
    snapshotBytes: 0,
    opened: 0,
    connected: 0,
    snapshots: 0,
    failed: 0,
    errors: [],
    unexpectedUpdates: 0,
    extraSnapshots: 0,
    heartbeats: 0,
  });
  const startedAt = now();
  const openUpTo = (count: number) => {
    while (state.opened < Math.min(count, n)) state.clients[state.opened++]?.open(target);
    if (state.opened >= n && state.opener) {
      clearInterval(state.opener);
      state.opener = null;
    }
  };
  if (rate <= 0) {
    openUpTo(n);
    return;
  }
  // Every 10 ms, as many as the rate allows so far: smooth, and bounded by n.
  state.opener = setInterval(() => openUpTo(Math.floor(((now() - startedAt) / 1000) * rate) + 1), 10);
  openUpTo(1);
}

function closeAll(): void {
  if (state.opener) clearInterval(state.opener);
  state.opener = null;
  for (const client of state.clients) client.close();
}

function report(): LoadReport {
  return {
    type: 'report',
    n: state.n,
    times: state.times,
    snapshotBytes: state.snapshotBytes,
    updateBytes: state.updateBytes,
    failed: state.failed,
    errors: state.errors,
    unexpectedUpdates: state.unexpectedUpdates,
    extraSnapshots: state.extraSnapshots,
    heartbeats: state.heartbeats,
  };
}

const send = (message: LoadMessage) => process.send?.(message);

process.on('message', (command: LoadCommand) => {
  switch (command.type) {
    case 'open':
      open(command);
      return;
    case 'expect':
      state.expected.unshift({ index: command.index, needles: command.needles });
      state.times.updates[command.index] = new Array(state.n).fill(Number.NaN);
      state.updateCounts[command.index] = 0;
      return;
    case 'progress':
      send({
        type: 'progress',
        opened: state.opened,
        connected: state.connected,
        snapshots: state.snapshots,
        failed: state.failed,
        updates: state.updateCounts,
        errors: state.errors,
      });
      return;
    case 'report':
      send(report());
      return;
    case 'close':
      closeAll();
      send({ type: 'closed' });
      return;
  }
});

// The parent went away (it finished, failed or was interrupted): leave nothing open behind it.
process.on('disconnect', () => {
  closeAll();
  process.exit(0);
});

if (!process.send) {
  console.error('bench/load.ts is started by bench/run.ts (it needs an IPC channel)');
  process.exit(1);
}
send({ type: 'ready' });
