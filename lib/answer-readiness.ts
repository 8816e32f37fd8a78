import 'server-only';
import { isOperator } from '@/lib/metrics/is-operator';
import { readHealth } from '@/lib/read-health';

/**
 * Readiness, GET /api/health and /api/health/ready: 200 while this instance should get traffic, 503
 * while it should not (shutting down, or Redis configured and lost), with the reasons. The detail
 * (instance id, Redis' state, streams, and per city its state, last success, last error, streams and
 * whether it polls) goes to operators only when METRICS_TOKEN is set (`Authorization: Bearer <token>`,
 * as for /api/metrics): a load balancer or a probe needs the status alone.
 */
export function answerReadiness({ authorization }: { authorization: string | null }): Response {
  const health = readHealth();
  const body = isOperator(authorization) ? health : { ok: health.ok, problems: health.problems };
  return Response.json(body, {
    status: health.ok ? 200 : 503,
    // nosniff: npm start answers probes outside Next while it drains (server/listen-for-probes.ts).
    headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
  });
}
