import { answerReadiness } from '@/lib/answer-readiness';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/health/ready: the same answer as /api/health, under a name that says which probe it is. */
export function GET(request: Request): Response {
  return answerReadiness({ authorization: request.headers.get('authorization') });
}
