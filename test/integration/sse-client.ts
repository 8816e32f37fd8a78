import { EventSource } from 'eventsource';
import { withTimeout } from './start-app';

export interface Received {
  type: string;
  id: string;
  data: unknown;
}

/**
 * A standard EventSource client (the `eventsource` package, as Node services use it) that queues
 * every snapshot, update and status event so a test can await them in order.
 */
export function openClient(url: string, { lastEventId }: { lastEventId?: string } = {}) {
  const queue: Received[] = [];
  const waiters: Array<() => void> = [];
  const source = new EventSource(url, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {
          ...init?.headers,
          ...(lastEventId && !hasLastEventId(init) ? { 'Last-Event-ID': lastEventId } : {}),
        },
      }),
  });
  for (const type of ['snapshot', 'update', 'status']) {
    source.addEventListener(type, (event) => {
      queue.push({ type, id: event.lastEventId, data: JSON.parse(event.data) });
      for (const wake of waiters.splice(0)) wake();
    });
  }
  let cursor = 0;
  return {
    source,
    received: queue,
    /** The next event not yet returned, optionally skipping events of other types. */
    async next(type?: string, ms = 15_000): Promise<Received> {
      return withTimeout(
        (async () => {
          for (;;) {
            while (cursor < queue.length) {
              const event = queue[cursor++] as Received;
              if (!type || event.type === type) return event;
            }
            await new Promise<void>((resolve) => waiters.push(resolve));
          }
        })(),
        ms,
        () => `no ${type ?? 'event'} within ${ms} ms; got ${JSON.stringify(queue.map((e) => e.type))}`,
      );
    },
    close: () => source.close(),
  };
}

function hasLastEventId(init: { headers?: Record<string, string> } | undefined): boolean {
  return Object.keys(init?.headers ?? {}).some((name) => name.toLowerCase() === 'last-event-id');
}

export type SseClient = ReturnType<typeof openClient>;
