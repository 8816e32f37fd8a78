import { toErrorResponse } from '@/lib/errors';
import { answerMetrics } from '@/lib/metrics/answer-metrics';
import { getServices } from '@/lib/services';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/metrics: every metric of this process in Prometheus' text format (see the README). */
export async function GET(request: Request): Promise<Response> {
  try {
    return await answerMetrics({
      authorization: request.headers.get('authorization'),
      registry: getServices().metrics.registry,
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
