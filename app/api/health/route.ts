import { isOperator } from '@/lib/metrics/is-operator';
import { readHealth } from '@/lib/read-health';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/health: 200 while this instance serves, 503 while it should get no traffic (shutting
 * down, or Redis configured and lost), with the reasons. The detail (instance id, Redis' state,
 * streams, and per city its state, last success, last error, streams and whether it polls) goes to
 * operators only when METRICS_TOKEN is set (`Authorization: Bearer <token>`, as for /api/metrics):
 * a load balancer needs the status alone.
 */
export function GET(request: Request): Response {
  const health = readHealth();
  const body = isOperator(request.headers.get('authorization'))
    ? health
    : { ok: health.ok, problems: health.problems };
  return Response.json(body, { status: health.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
