import { backoffDelay } from './backoff-delay';

/**
 * Opens a city's event stream and keeps it open: EventSource retries by itself while it can; once it
 * gives up (any answer but 200), the stream is reopened with capped backoff and jitter, resuming from
 * `lastEventId()` (the version the caller holds, null: none). Returns the function that closes it.
 */
export function openCityStream({
  city,
  lastEventId,
  listeners,
  onOpen,
  onError,
}: {
  city: string;
  lastEventId: () => number | null;
  /** By SSE event name: `snapshot`, `update`, `status`. */
  listeners: Record<string, (event: Event) => void>;
  onOpen?: () => void;
  onError?: () => void;
}): () => void {
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  const open = () => {
    const query = new URLSearchParams({ city });
    const version = lastEventId();
    if (version !== null) query.set('lastEventId', String(version));
    const stream = new EventSource(`/api/movies/stream?${query}`);
    source = stream;
    stream.addEventListener('open', () => {
      attempt = 0;
      onOpen?.();
    });
    for (const [name, listener] of Object.entries(listeners)) stream.addEventListener(name, listener);
    stream.addEventListener('error', () => {
      onError?.();
      if (stream.readyState !== EventSource.CLOSED) return;
      timer = setTimeout(open, backoffDelay(attempt));
      attempt += 1;
    });
  };
  open();
  return () => {
    clearTimeout(timer);
    source?.close();
  };
}
