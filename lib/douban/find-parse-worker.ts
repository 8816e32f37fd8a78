import 'server-only';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where `npm run build` writes the parse worker (scripts/build-server.mjs), from the project's root. */
export const PARSE_WORKER_PATH = path.join('dist', 'parse-worker.js');

/**
 * The built parse worker, or null when it has not been built. Looked up from the working directory,
 * which is the project's root under every way the app runs: `npm start` and `next start`/`next dev`
 * are started there, and on Vercel a function runs in the deployed project's root, where
 * `outputFileTracingIncludes` (next.config.js) puts the file. Not from this module's own location:
 * Next bundles it into .next/, whose layout is Next's.
 */
export function findParseWorker({ cwd = process.cwd() }: { cwd?: string } = {}): string | null {
  const file = path.join(cwd, PARSE_WORKER_PATH);
  return existsSync(file) ? file : null;
}
