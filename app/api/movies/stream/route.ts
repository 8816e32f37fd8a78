import { getServices } from '@/lib/services';
import { serveWebStream } from '@/lib/sse/serve-web-stream';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
// Vercel cuts a function at maxDuration; SSE_MAX_DURATION_MS ends the stream a little before, and the
// client resumes by Last-Event-ID without missing an update. Ignored by `next start`.
export const maxDuration = 300;

/** The live board of one city as Server-Sent Events; see the README's API section. */
export function GET(request: Request): Promise<Response> {
  return serveWebStream(request, getServices());
}

/**
 * Next would answer HEAD with GET's handler and then drop the body unread: a stream that nobody
 * reads nor cancels, holding a place under the limits until its queue bound. A stream has no
 * meaningful HEAD: 405.
 */
export function HEAD(): Response {
  return Response.json(
    { error: 'method-not-allowed', message: 'The event stream answers GET only.' },
    { status: 405, headers: { Allow: 'GET', 'Cache-Control': 'no-store' } },
  );
}
