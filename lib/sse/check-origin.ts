import 'server-only';
import { HttpError } from '@/lib/errors';

/**
 * Whether a page of another site opened this stream, and whether it may. A browser says where a
 * request comes from: `Sec-Fetch-Site` (`same-origin`, `same-site`, `cross-site`, `none`), and
 * `Origin` on every cross-origin request (EventSource sends none to its own origin). A stream asked
 * for by another site's page (`cross-site`, or an `Origin` whose host is not this request's `Host`)
 * is refused unless `allowed` lists that origin: else a hostile page could spend its visitors' stream
 * slots (and our per-IP limits) on us. Clients that are not browsers send neither header and pass.
 *
 * Returns the `Access-Control-Allow-Origin` value to answer with (an allowed other origin), or null.
 * @throws {HttpError} 403 `cross-site`.
 */
export function checkOrigin({
  origin,
  fetchSite,
  host,
  allowed,
}: {
  origin: string | null;
  fetchSite: string | null;
  host: string | null;
  allowed: readonly string[];
}): string | null {
  if (origin !== null && allowed.includes(origin)) return origin;
  const ours = origin === null || hostOf(origin) === host?.toLowerCase();
  if (ours && fetchSite !== 'cross-site') return null;
  throw new HttpError({
    status: 403,
    code: 'cross-site',
    message:
      'This stream serves the pages of this site. Another site may open it only if the server lists its origin in ALLOWED_ORIGINS.',
  });
}

/** `host[:port]` of an origin, lower case; null for `null` or anything that is not an origin. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
