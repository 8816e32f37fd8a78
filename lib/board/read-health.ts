import 'server-only';
import { countSessions } from '@/lib/sse/session-ticker';
import { getBus, listBoards } from './get-board';

/** What an operator (and the tests) need to see: the shared store, and per city its state and streams. */
export function readHealth() {
  const bus = getBus();
  return {
    ok: true,
    instance: bus.instance,
    streams: countSessions(),
    redis: { state: bus.state() },
    cities: listBoards().map((board) => board.health()),
  };
}
