import 'server-only';
import { shuttingDownSince } from '@/lib/shutdown';
import { countAdmitted } from '@/lib/sse/admit-stream';
import { countSessions } from '@/lib/sse/session-ticker';
import { getBus, listBoards } from './get-board';

/**
 * What an operator (and a load balancer) needs to see. `ok` is false, and GET /api/health answers
 * 503, while this instance should get no traffic: it is shutting down, or it was configured with
 * Redis and has lost it (its boards would drift from the cluster's; other instances may still have
 * it). A city whose Douban polls fail is still served (stale, with the last good board): that is
 * reported per city, not as the instance being down.
 */
export function readHealth() {
  const bus = getBus();
  const shuttingDown = shuttingDownSince();
  const redis = bus.state();
  const problems = [
    ...(shuttingDown ? ['shutting-down'] : []),
    ...(redis === 'down' ? ['redis-unavailable'] : []),
  ];
  return {
    ok: problems.length === 0,
    problems,
    instance: bus.instance,
    shuttingDownSince: shuttingDown,
    streams: countSessions(),
    clients: countAdmitted().clients,
    redis: { state: redis },
    cities: listBoards().map((board) => board.health()),
  };
}
