import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium-launch';

// The specs run against `npm start`'s server, so the app must be built first: `npm test` (scripts/test-all.sh)
// runs `npm run build` before `npm run test:e2e`; by hand, `npm run build && npx playwright test`. A
// private build folder works too: NEXT_DIST_DIR=.next-ui for both commands (the app server inherits it).
// E2E_PORT_BASE lets two checkouts run the suite at once (the fake Douban on it, the app on +1).
const FAKE_PORT = Number(process.env.E2E_PORT_BASE ?? 4210);
const APP_PORT = FAKE_PORT + 1;
const fakeUrl = `http://127.0.0.1:${FAKE_PORT}`;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  // One app and one fake Douban serve every spec, and each spec resets the fake: no parallel specs.
  workers: 1,
  forbidOnly: !!process.env.CI,
  // No retries: a spec that needs one is a bug to fix, not noise to hide.
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--disable-quic'],
    },
  },
  webServer: [
    {
      command: `node --import tsx scripts/fake-douban/main.ts --port ${FAKE_PORT}`,
      url: `${fakeUrl}/__fake/health`,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 30_000,
    },
    {
      // What `npm start` runs: the production server (the app must be built with `npm run build`).
      command: `node dist/server.js -p ${APP_PORT} -H 127.0.0.1`,
      url: `http://127.0.0.1:${APP_PORT}/api/health`,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 60_000,
      env: {
        DOUBAN_BASE_URL: fakeUrl,
        DOUBAN_IMAGE_ORIGIN: fakeUrl,
        POLL_INTERVAL_MS: '500',
        POLL_BACKOFF_MAX_MS: '1000',
        DOUBAN_MAX_RPM: '100000',
        // A history of its own: a run never sees an earlier run's.
        DATA_DIR: mkdtempSync(path.join(tmpdir(), 'now-showing-e2e-')),
        NEXT_TELEMETRY_DISABLED: '1',
        // `next start` must read the folder `next build` wrote (next.config.js reads NEXT_DIST_DIR).
        ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
      },
    },
  ],
});
