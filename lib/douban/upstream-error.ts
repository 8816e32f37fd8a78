import 'server-only';

/**
 * Douban answered, or failed to answer, with something we cannot turn into a board. The board keeps
 * its last good movies and reports `reason` in the `status` SSE event, so `reason` is a short machine
 * code rather than prose:
 *
 * - `http-<status>`: a non-2xx answer, e.g. `http-403` (Douban's anti-bot page), `http-418`, `http-500`;
 * - `redirect`: Douban sent us elsewhere (sec.douban.com for flagged clients); never followed;
 * - `timeout`, `network`, `too-large`: no usable answer at all;
 * - `unknown-charset`: a page in an encoding `TextDecoder` does not know;
 * - `too-deep`: a page nested far deeper than Douban's, refused before the HTML parser sees it;
 * - `not-a-nowplaying-page`, `truncated-page`, `empty-page`: an answer that is not a complete
 *   now-showing page (see `parseNowPlaying`);
 * - `parse-timeout`, `parse-busy`, `parse-failed`: the parse worker stopped a parse past its time,
 *   had too many pages waiting, or crashed (see `createParsePool`).
 *
 * `message` is for logs and may name details (URL, byte counts); `cause` keeps the underlying error.
 */
export class UpstreamError extends Error {
  readonly reason: string;

  constructor({ reason, message, cause }: { reason: string; message: string; cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'UpstreamError';
    this.reason = reason;
  }
}
