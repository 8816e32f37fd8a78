/** One event of a `text/event-stream`, as sent: its type, id and the raw `data:` text. */
export interface RawEvent {
  event: string;
  id: string | null;
  data: string;
}

/**
 * Opens an event stream with fetch and hands back its events one by one, unparsed, so a spec can
 * check the wire text itself rather than what a browser's EventSource made of it. Each wait is
 * bounded; `close` aborts the request.
 */
export async function readEventStream(url: string) {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';

  const parseFrame = (frame: string): RawEvent | null => {
    const event: RawEvent = { event: 'message', id: null, data: '' };
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      const colon = line.indexOf(':');
      if (colon === 0) continue; // a comment (heartbeat)
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'data') data.push(value);
    }
    event.data = data.join('\n');
    return data.length > 0 ? event : null;
  };

  return {
    headers: response.headers,
    /** The next event with data that `accept` takes, skipping others; fails after `ms`. */
    async next(accept: (event: RawEvent) => boolean, ms = 15_000): Promise<RawEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const event = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event && accept(event)) return event;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event from ${url} within ${ms} ms`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no matching event from ${url} within ${ms} ms`)), left);
        });
        const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
        if (chunk.done) throw new Error(`${url} ended before a matching event`);
        buffer += chunk.value; // our server ends lines with LF only
      }
    },
    close: () => abort.abort(),
  };
}
