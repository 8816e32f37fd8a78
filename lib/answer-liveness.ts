import 'server-only';

/**
 * Liveness, GET /api/health/live: `{ ok: true }` for as long as the process answers at all. Still
 * 200 while it drains at shutdown and while Redis is lost: a restart cures neither, and a supervisor
 * that restarts on a failed liveness probe would kill a draining instance mid-drain, or every
 * instance at once when Redis drops. It builds nothing and reads nothing (no services, no Redis, no
 * Douban), so it cannot hang on them: it fails only when the process is gone or its event loop is
 * stuck, which is what a restart is for.
 */
export function answerLiveness(): Response {
  return Response.json(
    { ok: true },
    // nosniff: npm start answers probes outside Next while it drains (server/listen-for-probes.ts).
    { headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } },
  );
}
