import { answerReadiness } from '@/lib/answer-readiness';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/health: readiness, 200 while this instance should get traffic, else 503 (see the README). */
export function GET(request: Request): Response {
  return answerReadiness({ authorization: request.headers.get('authorization') });
}
