import 'server-only';
import { countSessions } from '@/lib/sse/session-ticker';
import { listBoards } from './get-board';

/** What an operator (and the tests) need to see: per city its upstream state, streams and polling. */
export function readHealth() {
  const cities = listBoards().map((board) => board.health());
  return { ok: true, streams: countSessions(), cities };
}
