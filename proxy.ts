import { type NextRequest, NextResponse } from 'next/server';
import { buildContentSecurityPolicy, createNonce } from '@/lib/security/build-content-security-policy';

/**
 * Gives every page a nonce-based Content-Security-Policy. The policy goes on the request too: Next
 * reads the nonce from it while rendering and puts it on each script it writes. The other security
 * headers, the same on every answer, are in next.config.js.
 */
export function proxy(request: NextRequest) {
  const policy = buildContentSecurityPolicy({
    nonce: createNonce(),
    dev: process.env.NODE_ENV === 'development',
  });
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // Pages only: the API (above all the event stream, and the bench that measures it) and static
  // files skip this, and so do prefetches, whose answers are not documents.
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
