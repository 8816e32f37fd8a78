import { readHealth } from '@/lib/read-health';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/health: 200 while this instance serves, 503 while it should get no traffic (shutting
 * down, or Redis configured and lost), with the reasons, Redis' state, and per city its state, last
 * success, last error, streams and whether it polls.
 */
export function GET(): Response {
  const health = readHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
