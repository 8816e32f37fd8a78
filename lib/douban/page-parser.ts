import 'server-only';
import type { NowPlayingPage } from '@/lib/types';
import type { PageBody } from './parse-page';

/**
 * Turns a fetched page into movies: in a worker thread (`createParsePool`), or on the main thread
 * (`createInlineParser`) where no worker is built. Either way a failure is an `UpstreamError` whose
 * reason is the parser's (`too-deep`, `not-a-nowplaying-page`...), or the pool's own
 * (`parse-timeout`, `parse-busy`, `parse-failed`).
 */
export interface PageParser {
  parse(body: PageBody): Promise<NowPlayingPage>;
  /** Ends the worker thread, if any, once the parse it is running is done (at shutdown). */
  close(): Promise<void>;
}
