// Bundles server/main.ts (and the lib/ code it shares with the app) into dist/server.js for
// `npm start`, and the parse worker into dist/parse-worker.js for every way the app runs.
// `server-only` is a marker for Next's bundler only. Runs before `next build` (package.json), so
// that Next's file tracing finds dist/parse-worker.js for Vercel (outputFileTracingIncludes).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  alias: { 'server-only': './server/server-only-stub.ts' },
  logLevel: 'warning',
};

await Promise.all([
  // Packages stay in node_modules, loaded as the app loads them.
  build({ ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.js', packages: 'external' }),
  // Packages bundled in (node-html-parser, zod): one self-contained file, which Next's bundle finds
  // from the project root and Vercel deploys as it is, with no node_modules of its own to trace.
  build({ ...common, entryPoints: ['lib/douban/parse-worker.ts'], outfile: 'dist/parse-worker.js' }),
]);
