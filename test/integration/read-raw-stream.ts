import { get, type IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { createParser } from 'eventsource-parser';
import { withTimeout } from './start-app';

export interface RawEvent {
  type: string;
  id: string | undefined;
  data: string;
}

export interface RawStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  events: RawEvent[];
  /** Body bytes as they came over the wire (compressed, when the answer is). */
  readonly wireBytes: number;
  /** Resolves once `check()` holds, re-checked after every event; rejects after `ms`. */
  until(what: string, check: () => boolean, ms?: number): Promise<void>;
  close(): void;
}

/**
 * One event stream read as bytes over node:http, with no reconnection: what a proxy passes on, how
 * many bytes it took on the wire (asking for gzip when `gzip` is set, and inflating each chunk as it
 * comes), and each event as soon as its bytes are readable.
 */
export async function readRawStream(
  url: string,
  { gzip = false }: { gzip?: boolean } = {},
): Promise<RawStream> {
  const events: RawEvent[] = [];
  const waiters = new Set<() => void>();
  let wireBytes = 0;
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (gzip) headers['Accept-Encoding'] = 'gzip';
  const request = get(url, { headers, agent: false });
  const response = await withTimeout(
    new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', reject);
    }),
    10_000,
    () => `${url} did not answer`,
  );
  const parser = createParser({
    onEvent: ({ event, id, data }) => {
      events.push({ type: event ?? 'message', id, data });
      for (const wake of [...waiters]) wake();
    },
  });
  response.on('data', (chunk: Buffer) => {
    wireBytes += chunk.length;
  });
  const body = response.headers['content-encoding'] === 'gzip' ? response.pipe(createGunzip()) : response;
  body.setEncoding('utf8');
  body.on('data', (text: string) => parser.feed(text));
  // A stream cut by the test's close() is not an error to report.
  body.on('error', () => {});
  request.on('error', () => {});
  return {
    status: response.statusCode ?? 0,
    headers: response.headers,
    events,
    get wireBytes() {
      return wireBytes;
    },
    until(what, check, ms = 15_000) {
      return new Promise<void>((resolve, reject) => {
        const test = () => {
          if (!check()) return;
          clearTimeout(deadline);
          waiters.delete(test);
          resolve();
        };
        const deadline = setTimeout(() => {
          waiters.delete(test);
          reject(new Error(`not within ${ms} ms: ${what}; got ${events.map((e) => e.type).join(',')}`));
        }, ms);
        waiters.add(test);
        test();
      });
    },
    close: () => request.destroy(),
  };
}
