import { type ClientRequest, get, type IncomingMessage } from 'node:http';
import { createParser } from 'eventsource-parser';

/** One dispatched event, and which connection (1 = the first that answered 200) it arrived on. */
export interface ReceivedEvent {
  type: string;
  /** The last event ID after this event (EventSource's `lastEventId`). */
  id: string;
  data: string;
  connection: number;
}

/** One connection attempt: `open` (200 event stream), `http-<status>`, or a network error code. */
export interface Attempt {
  at: number;
  lastEventId: string;
  outcome: string;
}

export interface ReconnectingClient {
  readonly events: ReceivedEvent[];
  readonly attempts: Attempt[];
  /** Connections that answered 200 so far. */
  readonly opens: number;
  readonly lastEventId: string;
  /** The reconnection time: the last `retry:` seen. */
  readonly retryMs: number;
  /** Why it stopped reconnecting by itself (a fatal answer, or too many attempts); null while it goes on. */
  readonly failed: string | null;
  /** Resolves once `check()` holds, re-checked after every event and attempt; rejects after `ms`. */
  until(what: string, check: () => boolean, ms?: number): Promise<void>;
  close(): void;
}

/**
 * A client that reconnects the way EventSource does
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#sse-processing-model): when a
 * stream ends or the network fails, it waits the last `retry:` and connects to the same URL again
 * with `Last-Event-ID`. Like the app's page (components/use-board-stream.ts), it also comes back
 * after a 429/503 (after `Retry-After`), where EventSource itself would give up. Written over
 * node:http rather than the `eventsource` package so a test sees every attempt, every event with its
 * connection, and the reconnection time. Node's default agent keeps connections alive, as browsers
 * do, so a reconnect may go out on the socket the last stream used.
 */
export function openReconnectingClient(
  url: string,
  {
    maxAttempts = 1_000,
    initialRetryMs = 3_000,
    answerTimeoutMs = 10_000,
    localAddress,
  }: {
    maxAttempts?: number;
    initialRetryMs?: number;
    answerTimeoutMs?: number;
    /** The loopback address to connect from (127.0.0.2…), so a proxy sees clients of many addresses. */
    localAddress?: string;
  } = {},
): ReconnectingClient {
  const events: ReceivedEvent[] = [];
  const attempts: Attempt[] = [];
  const waiters = new Set<() => void>();
  let opens = 0;
  let lastEventId = '';
  let retryMs = initialRetryMs;
  let failed: string | null = null;
  let closed = false;
  let request: ClientRequest | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const changed = () => {
    for (const wake of [...waiters]) wake();
  };

  const reconnectAfter = (ms: number) => {
    if (closed || failed) return;
    if (attempts.length >= maxAttempts) {
      failed = `gave up after ${attempts.length} attempts`;
      changed();
      return;
    }
    timer = setTimeout(connect, ms);
  };

  const record = (outcome: string, sentId: string) => {
    attempts.push({ at: Date.now(), lastEventId: sentId, outcome });
    changed();
  };

  function connect(): void {
    const sentId = lastEventId;
    let settled = false;
    let answered = false;
    // Once per connection: an error after the end (or the reverse) must not reconnect twice.
    const lost = () => {
      if (settled) return;
      settled = true;
      request = null;
      reconnectAfter(retryMs);
    };
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
    if (sentId !== '') headers['Last-Event-ID'] = sentId;
    const current = get(url, { headers, localAddress }, (response) => {
      answered = true;
      current.setTimeout(0);
      if (response.statusCode !== 200) {
        response.resume();
        record(`http-${response.statusCode}`, sentId);
        settled = true;
        const status = response.statusCode ?? 0;
        if (status === 429 || status === 503) {
          reconnectAfter(Number(response.headers['retry-after'] ?? 1) * 1_000);
        } else {
          failed = `answered ${status}`;
          changed();
        }
        return;
      }
      if (!String(response.headers['content-type']).startsWith('text/event-stream')) {
        response.resume();
        settled = true;
        failed = `not an event stream: ${response.headers['content-type']}`;
        record('not-an-event-stream', sentId);
        return;
      }
      opens += 1;
      record('open', sentId);
      readEvents(response, opens);
      response.on('end', lost);
      response.on('error', lost);
      response.on('close', lost);
    });
    request = current;
    // A server that accepts the connection and never answers must not hang the client.
    current.setTimeout(answerTimeoutMs, () => current.destroy(new Error('no answer')));
    current.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return lost();
      record(error.code ?? error.message, sentId);
      lost();
    });
  }

  /** The stream's events, read by eventsource-parser as the spec's "interpret an event stream" says. */
  function readEvents(response: IncomingMessage, connection: number): void {
    const parser = createParser({
      onEvent: ({ event, id, data }) => {
        // As EventSource does: an event without an `id:` keeps the last ID.
        if (id !== undefined) lastEventId = id;
        events.push({ type: event ?? 'message', id: lastEventId, data, connection });
        changed();
      },
      onRetry: (ms) => {
        retryMs = ms;
      },
    });
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => parser.feed(chunk));
  }

  connect();
  return {
    events,
    attempts,
    get opens() {
      return opens;
    },
    get lastEventId() {
      return lastEventId;
    },
    get retryMs() {
      return retryMs;
    },
    get failed() {
      return failed;
    },
    until(what, check, ms = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(deadline);
          waiters.delete(test);
        };
        const test = () => {
          if (check()) {
            done();
            resolve();
          } else if (failed) {
            done();
            reject(new Error(`${what}: the client ${failed}`));
          }
        };
        const deadline = setTimeout(() => {
          done();
          reject(new Error(`not within ${ms} ms: ${what}`));
        }, ms);
        waiters.add(test);
        test();
      });
    },
    close() {
      closed = true;
      clearTimeout(timer);
      request?.destroy();
    },
  };
}
