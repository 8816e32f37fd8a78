// Sent with every answer (pages, API, static files); the page's Content-Security-Policy carries a
// per-request nonce, so proxy.ts sets that one. The event stream of `npm start` bypasses Next and
// sets its own (lib/sse/stream-headers.ts).
const securityHeaders = [
  // A JSON error or a poster is never sniffed into HTML or script.
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Links out (to Douban) get our origin, never the page's query string.
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // For browsers that predate CSP's frame-ancestors: nobody frames the board.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  // A window we open (Douban's pages) cannot reach back into ours.
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lets tests and parallel builds use their own output folder; `next start` must read the same one.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Loaded by Node at run time rather than bundled: ioredis keeps sockets and timers of its own;
  // piscina starts its threads from a file beside its own (node_modules/piscina/dist/worker.js).
  serverExternalPackages: ['ioredis', 'piscina'],
  // Deployed with every route (Vercel): the parse worker, which lib/douban/find-parse-worker.ts looks
  // for from the project root (built before `next build`, see package.json), and piscina's thread file.
  outputFileTracingIncludes: {
    '/*': ['./dist/parse-worker.js', './node_modules/piscina/**/*'],
  },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

module.exports = nextConfig;
