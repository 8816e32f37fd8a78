import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the parse worker as scripts/build-server.mjs does (one file, packages bundled in), into a
 * fresh temporary folder rather than the app's dist/, beside a test worker (`test-worker.js`) that
 * runs it, except for three contents types that make it misbehave on purpose: `test/block` loops
 * forever, `test/crash` ends its thread, `test/throw` throws a plain Error.
 */
export async function buildParseWorker(): Promise<{ workerFile: string; testWorkerFile: string }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'parse-worker-'));
  const workerFile = path.join(folder, 'parse-worker.js');
  await build({
    absWorkingDir: root,
    entryPoints: ['lib/douban/parse-worker.ts'],
    outfile: workerFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    alias: { 'server-only': './server/server-only-stub.ts' },
    logLevel: 'warning',
  });
  const testWorkerFile = path.join(folder, 'test-worker.js');
  writeFileSync(
    testWorkerFile,
    `const parsePage = require('./parse-worker.js').default;
module.exports = (body) => {
  if (body.contentType === 'test/block') for (;;) {}
  if (body.contentType === 'test/crash') process.exit(3);
  if (body.contentType === 'test/throw') throw new Error('a bug');
  return parsePage(body);
};
`,
  );
  return { workerFile, testWorkerFile };
}
