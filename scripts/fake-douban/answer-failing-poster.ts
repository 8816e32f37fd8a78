import type { ServerResponse } from 'node:http';
import { renderPosterPng } from './poster-image';

/**
 * `/view/fake/<kind>.jpg` on the fake's image host: the ways a poster request can go wrong, so the
 * app's poster proxy can be shown to refuse each one. Kinds: `redirect-loopback` (to the fake
 * itself), `redirect-doubanio` (to another image host), `html`, `svg`, `oversized` (3 MB, announced),
 * `oversized-chunked` (3 MB, no Content-Length); any other kind is a 404. `redirect-target` is a good
 * poster, so a proxy that followed `redirect-loopback` would succeed (and the fake would log it).
 */
export const FAILING_POSTER_PATH = /^\/view\/fake\/([a-z-]{1,40})\.jpg$/;

const OVERSIZED_BYTES = 3 * 1024 * 1024;

type Answer = { status: number; headers: Record<string, string | number>; body: Buffer };

const sized = (type: string, body: Buffer): Answer => ({
  status: 200,
  headers: { 'Content-Type': type, 'Content-Length': body.length },
  body,
});

function answerOf(kind: string, origin: string): Answer {
  switch (kind) {
    case 'redirect-loopback':
      return {
        status: 302,
        headers: { Location: `${origin}/view/fake/redirect-target.jpg` },
        body: Buffer.alloc(0),
      };
    case 'redirect-doubanio': {
      const location = 'https://img9.doubanio.com/view/photo/s_ratio_poster/public/p1.jpg';
      return { status: 301, headers: { Location: location }, body: Buffer.alloc(0) };
    }
    case 'redirect-target':
      return sized('image/png', renderPosterPng(kind));
    case 'html':
      return sized('text/html; charset=utf-8', Buffer.from('<html><body>not a poster</body></html>'));
    case 'svg':
      return sized(
        'image/svg+xml',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      );
    case 'oversized':
      return sized('image/jpeg', Buffer.alloc(OVERSIZED_BYTES));
    case 'oversized-chunked':
      // No Content-Length: the proxy only learns the size by counting what it reads.
      return { status: 200, headers: { 'Content-Type': 'image/jpeg' }, body: Buffer.alloc(OVERSIZED_BYTES) };
    default:
      return {
        status: 404,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: Buffer.from('no such poster\n'),
      };
  }
}

/** Answers one failing-poster request; `origin` is the fake's own base URL. */
export function answerFailingPoster({
  kind,
  res,
  origin,
}: {
  kind: string;
  res: ServerResponse;
  origin: string;
}): void {
  const { status, headers, body } = answerOf(kind, origin);
  res.writeHead(status, headers);
  res.end(body);
}
