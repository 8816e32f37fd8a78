import { metrics } from '@/lib/metrics/metrics';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/metrics: every metric of this process in Prometheus' text format. */
export async function GET(): Promise<Response> {
  return new Response(await metrics.registry.metrics(), {
    headers: { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' },
  });
}
