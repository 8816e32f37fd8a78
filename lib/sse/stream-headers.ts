/**
 * Headers of every event stream: they keep proxies and CDNs from buffering (`X-Accel-Buffering`),
 * caching or compressing it (`no-transform`), so each event reaches the browser as it is sent.
 */
export const streamHeaders = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
} as const;
