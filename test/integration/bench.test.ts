import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '@/bench/format-report';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

/**
 * A small `npm run bench`, so that the bench cannot rot: every client gets the snapshot and every
 * update, from the app and from the reference. Timings are printed, never asserted.
 */
describe('npm run bench (N = 200)', () => {
  it('delivers the snapshot and every update to every client of both targets', async () => {
    const bench = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        ...['--n', '200', '--changes', '2', '--churn', '1', '--targets', 'app,reference'],
        ...['--port-base', '4450', '--out', out, '--no-build'],
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let table = '';
    let output = '';
    bench.stdout.on('data', (data: Buffer) => {
      table += data.toString();
      output += data.toString();
    });
    bench.stderr.on('data', (data: Buffer) => {
      output += data.toString();
    });
    // run.ts stops what it started on SIGTERM; give it that chance before the test times out.
    const timer = setTimeout(() => bench.kill('SIGTERM'), 80_000);
    const [code] = await once(bench, 'exit');
    clearTimeout(timer);
    expect(code, output).toBe(0);

    const results = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchResults;
    expect(results.runs.map((run) => run.target)).toEqual(['app', 'reference']);
    for (const run of results.runs) {
      const figures = { target: run.target, errors: run.errors };
      expect({ ...figures, connected: run.connected, snapshots: run.snapshots, failed: run.failed }).toEqual({
        ...figures,
        connected: 200,
        snapshots: 200,
        failed: 0,
      });
      expect({ ...figures, delivered: run.delivered, missed: run.missed }).toEqual({
        ...figures,
        delivered: 400,
        missed: 0,
      });
      expect({ ...figures, unexpected: run.unexpectedUpdates, extra: run.extraSnapshots }).toEqual({
        ...figures,
        unexpected: 0,
        extra: 0,
      });
      expect(run.churn.cycles.map((cycle) => cycle.snapshots)).toEqual([200]);
    }
    console.log(table);
  }, 90_000);
});
