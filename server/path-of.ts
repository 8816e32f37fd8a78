import type { IncomingMessage } from 'node:http';

/**
 * The path a request names, as Next routes it: dot segments resolved (`/api/movies/./stream`,
 * `/api/x/../movies/stream`, `%2e` included) the way the WHATWG URL parser does, so that every
 * spelling Next would serve from a route handler is served here instead, through the same admission
 * with the socket's address. Null for a target that is not a path (Next answers it).
 */
export function pathOf(request: IncomingMessage): string | null {
  try {
    return new URL(request.url ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}
