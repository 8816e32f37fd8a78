import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { env } from '@/lib/env';
import { HttpError } from '@/lib/errors';

const digest = (text: string) => createHash('sha256').update(text).digest();
const expected = env.metricsToken ? digest(`Bearer ${env.metricsToken}`) : null;

/**
 * GET /api/metrics: the registry in Prometheus' text format. With METRICS_TOKEN set, only a scraper
 * that sends it (`Authorization: Bearer …`) gets an answer; the comparison takes the same time
 * whatever the guess (both sides hashed to one length first).
 */
export async function answerMetrics({
  authorization,
  registry,
}: {
  authorization: string | null;
  registry: Registry;
}): Promise<Response> {
  if (expected && !timingSafeEqual(digest(authorization ?? ''), expected)) {
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
