/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lets tests and parallel builds use their own output folder; `next start` must read the same one.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Loaded by Node at run time rather than bundled: it keeps sockets and timers of its own.
  serverExternalPackages: ['ioredis'],
};

module.exports = nextConfig;
