import { answerLiveness } from '@/lib/answer-liveness';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/health/live: liveness, 200 while the process answers, draining or without Redis too. */
export function GET(): Response {
  return answerLiveness();
}
