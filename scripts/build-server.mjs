// Bundles server/main.ts (and the lib/ code it shares with the app) into dist/server.js for
// `npm start`. Packages stay in node_modules; `server-only` is a marker for Next's bundler only.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['server/main.ts'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  alias: { 'server-only': './server/server-only-stub.ts' },
  logLevel: 'warning',
});
