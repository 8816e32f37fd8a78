import { readHealth } from '@/lib/board/read-health';

export const dynamic = 'force-dynamic';

/** GET /api/health: 200 while serving, with each city's state, streams and whether it polls. */
export function GET(): Response {
  return Response.json(readHealth(), { headers: { 'Cache-Control': 'no-store' } });
}
