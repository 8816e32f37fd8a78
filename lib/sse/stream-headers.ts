/**
 * Headers of every event stream: they keep proxies and CDNs from buffering (`X-Accel-Buffering`),
 * caching or compressing it (`no-transform`), so each event reaches the browser as it is sent. The
 * stream carries Douban's text (titles included), so no browser may sniff it into anything else.
 */
export const streamHeaders = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
} as const;
