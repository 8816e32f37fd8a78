import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { env } from '@/lib/env';

const digest = (text: string) => createHash('sha256').update(text).digest();
const expected = env.metricsToken ? digest(`Bearer ${env.metricsToken}`) : null;

/**
 * Whether a request may see what only operators see (the metrics, the detail of the health check):
 * anyone while METRICS_TOKEN is unset, else only the bearer of that token. The comparison takes the
 * same time whatever the guess (both sides hashed to one length first).
 */
export function isOperator(authorization: string | null): boolean {
  return expected === null || timingSafeEqual(digest(authorization ?? ''), expected);
}
