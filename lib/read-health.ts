import 'server-only';
import { getServices, type Services } from '@/lib/services';
import { shuttingDownSince } from '@/lib/shutdown';

/**
 * What an operator (and a load balancer) needs to see. `ok` is false, and GET /api/health answers
 * 503, while this instance should get no traffic: it is shutting down, or it was configured with
 * Redis and has lost it (its boards would drift from the cluster's; other instances may still have
 * it). A city whose Douban polls fail is still served (stale, with the last good board): that is
 * reported per city, not as the instance being down.
 */
export function readHealth(services: Services = getServices()) {
  const { bus } = services.boards;
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
    streams: services.ticker.count(),
    clients: services.admission.count().clients,
    redis: { state: redis },
    cities: services.boards.feeds().map(({ city, board, poller }) => ({
      ...board.health(),
      streams: services.channel(city).size,
      polling: poller.leader,
      leader: poller.leader,
    })),
  };
}
