import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createMetrics } from '@/lib/metrics/metrics';
import { buildParseWorker } from '@/test/build-parse-worker';

const logEvent = vi.fn();
vi.mock('@/lib/log', () => ({ logEvent }));
const { createPageParser } = await import('./create-page-parser');
const { findParseWorker } = await import('./find-parse-worker');

const root = fileURLToPath(new URL('../..', import.meta.url));
const shangrao = readFileSync(`${root}fixtures/douban/nowplaying-shangrao-2018.html`);

describe('findParseWorker', () => {
  it("finds the built worker under the project's root, and nothing before a build", () => {
    const project = mkdtempSync(path.join(tmpdir(), 'project-'));
    expect(findParseWorker({ cwd: project })).toBeNull();
    mkdirSync(path.join(project, 'dist'));
    writeFileSync(path.join(project, 'dist', 'parse-worker.js'), '');
    expect(findParseWorker({ cwd: project })).toBe(path.join(project, 'dist', 'parse-worker.js'));
  });
});

describe('createPageParser', () => {
  it('parses on the main thread where the worker is not built, and says so in one log line', async () => {
    const metrics = createMetrics();
    const parser = createPageParser({ metrics, idleTimeoutMs: 1_000, workerFile: null });
    const page = await parser.parse({ bytes: shangrao, contentType: 'text/html' });
    await parser.parse({ bytes: shangrao, contentType: 'text/html' });
    expect(page.nowPlaying).toHaveLength(21);
    expect(logEvent.mock.calls).toEqual([['warn', 'parse-worker-missing', expect.any(Object)]]);
    const seconds = (await metrics.parseSeconds.get()).values;
    expect(seconds.find((entry) => entry.metricName?.endsWith('_count'))).toMatchObject({
      labels: { thread: 'main' },
      value: 2,
    });
  });

  it('never keeps a process alive: one that parsed through the pool exits without closing it', async () => {
    const { workerFile } = await buildParseWorker();
    const child = spawn(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', 'test/parse-once-with-pool.ts', workerFile],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
    });
    const [code] = await once(child, 'exit');
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: '21' });
  }, 30_000);
});
