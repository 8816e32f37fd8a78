import { toErrorResponse } from '@/lib/errors';
import { readMetrics } from '@/lib/metrics/read-metrics';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/metrics: every metric of this process in Prometheus' text format (see the README). */
export async function GET(request: Request): Promise<Response> {
  try {
    return await readMetrics(request.headers.get('authorization'));
  } catch (error) {
    return toErrorResponse(error);
  }
}
