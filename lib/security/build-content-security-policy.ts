import 'server-only';

/**
 * The Content-Security-Policy of every page: scripts run only when they carry this response's nonce
 * (Next puts it on its own scripts, read from the request's CSP header) or were loaded by one that
 * does (`'strict-dynamic'`), so markup injected through a title can never run. Everything else
 * comes from this origin: posters go through /api/poster and the live board is an EventSource on
 * /api/movies/stream.
 *
 * Style attributes stay allowed (`style-src-attr`): React renders the star bars' width and Next's
 * built-in 404 page with them, and an attribute cannot run script. `next dev` needs `'unsafe-eval'`
 * (React rebuilds server error stacks with eval) and injects `<style>` elements without the nonce.
 * See https://www.w3.org/TR/CSP3/#strict-dynamic-usage
 */
export function buildContentSecurityPolicy({ nonce, dev }: { nonce: string; dev: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** A fresh nonce per response: 128 random bits, base64 as CSP's `nonce-source` expects. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}
