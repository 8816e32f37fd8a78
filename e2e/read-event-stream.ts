import { EventSourceParserStream } from 'eventsource-parser/stream';

/** One event of a `text/event-stream`, as sent: its type, id and the raw `data:` text. */
export interface RawEvent {
  event: string;
  id: string | null;
  data: string;
}

/**
 * Opens an event stream with fetch and hands back its events one by one, with their data as the
 * server wrote it, so a spec can check the wire text itself rather than what a browser's EventSource
 * made of it. eventsource-parser reads the fields. Each wait is bounded; `close` aborts the request.
 */
export async function readEventStream(url: string) {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();

  return {
    headers: response.headers,
    /** The next event with data that `accept` takes, skipping others; fails after `ms`. */
    async next(accept: (event: RawEvent) => boolean, ms = 15_000): Promise<RawEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event from ${url} within ${ms} ms`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no matching event from ${url} within ${ms} ms`)), left);
        });
        const read = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
        if (read.done) throw new Error(`${url} ended before a matching event`);
        const { event = 'message', id = null, data } = read.value;
        if (accept({ event, id, data })) return { event, id, data };
      }
    },
    close: () => abort.abort(),
  };
}
