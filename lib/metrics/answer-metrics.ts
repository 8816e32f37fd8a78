import 'server-only';
import type { Registry } from 'prom-client';
import { HttpError } from '@/lib/errors';
import { isOperator } from './is-operator';

/**
 * GET /api/metrics: the registry in Prometheus' text format. With METRICS_TOKEN set, only a scraper
 * that sends it (`Authorization: Bearer …`) gets an answer (see `isOperator`).
 */
export async function answerMetrics({
  authorization,
  registry,
}: {
  authorization: string | null;
  registry: Registry;
}): Promise<Response> {
  if (!isOperator(authorization)) {
    throw new HttpError({
      status: 401,
      code: 'metrics-token-required',
      message: 'This endpoint wants Authorization: Bearer <METRICS_TOKEN>.',
      headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
    });
  }
  return new Response(await registry.metrics(), {
    headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' },
  });
}
