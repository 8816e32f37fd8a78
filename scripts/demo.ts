// `npm run demo`: the real app against a fake Douban whose pages drift, so that changes stream in
// without the internet. Env: PORT (app, default 3000), FAKE_DOUBAN_PORT (default 4010),
// POLL_INTERVAL_MS (default 5000 here, so that drift shows up quickly).
import { type ChildProcess, spawn } from 'node:child_process';
import { startFakeDouban } from './fake-douban/start-fake-douban';

const DRIFT_MS = 5_000;

async function main(): Promise<void> {
  const appPort = process.env.PORT || '3000';
  const fake = await startFakeDouban({
    port: Number(process.env.FAKE_DOUBAN_PORT || 4010),
    driftMs: DRIFT_MS,
  });
  const appUrl = `http://localhost:${appPort}`;
  printBanner({ appUrl, fakeUrl: fake.url });

  // Its own process group: `npx next dev` is a tree (npx → sh → next-server), stopped as a whole.
  const app = spawn('npx', ['next', 'dev', '-p', appPort], {
    stdio: 'inherit',
    detached: true,
    env: {
      ...process.env,
      DOUBAN_BASE_URL: fake.url,
      // The fake also plays Douban's image host, so posters show offline too.
      DOUBAN_IMAGE_ORIGIN: fake.url,
      POLL_INTERVAL_MS: process.env.POLL_INTERVAL_MS || String(DRIFT_MS),
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });

  let stopping = false;
  const stop = async (exitCode: number): Promise<never> => {
    stopping = true;
    killGroup(app, 'SIGTERM');
    // next dev normally exits at once; don't leave a stuck server behind.
    const force = setTimeout(() => killGroup(app, 'SIGKILL'), 5_000);
    if (app.exitCode === null && app.signalCode === null)
      await new Promise((resolve) => app.once('exit', resolve));
    clearTimeout(force);
    await fake.close();
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stop(130));
  process.once('SIGTERM', () => void stop(143));
  app.once('exit', (code) => {
    if (!stopping) void stop(code ?? 1);
  });
  app.once('error', (error) => {
    console.error(`could not start next dev: ${error.message}`);
    void stop(1);
  });

  await waitUntilUp({ url: appUrl, stillWaiting: () => !stopping });
  if (!stopping) console.log(`\n  ▶ Now Showing is ready: open ${appUrl}\n`);
}

function printBanner({ appUrl, fakeUrl }: { appUrl: string; fakeUrl: string }): void {
  const lines = [
    'Now Showing demo',
    '',
    `Open ${appUrl} in a browser.`,
    `Douban is faked at ${fakeUrl} (recorded pages, no internet needed).`,
    `Scores of shanghai and shangrao drift every few seconds (every ${DRIFT_MS / 1000} s);`,
    'now and then a movie leaves the list or comes back. Watch the board update live.',
    '',
    'Ctrl-C stops the app and the fake Douban.',
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '─'.repeat(width + 4);
  console.log(`\n┌${rule}┐\n${lines.map((line) => `│  ${line.padEnd(width)}  │`).join('\n')}\n└${rule}┘\n`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function waitUntilUp({
  url,
  stillWaiting,
}: {
  url: string;
  stillWaiting: () => boolean;
}): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (stillWaiting() && Date.now() < deadline) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(60_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
