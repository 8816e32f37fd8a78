// The fake Douban as a process, for Playwright's `webServer` and `npm run demo`:
//   node --import tsx scripts/fake-douban/main.ts --port 4010 [--host 127.0.0.1] [--drift-ms 5000]
// Prints `fake douban listening on <url>` once it accepts requests; SIGTERM or SIGINT closes it.
import { parseArgs } from 'node:util';
import { startFakeDouban } from './start-fake-douban';

function readOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.FAKE_DOUBAN_PORT ?? '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'drift-ms': { type: 'string' },
      'fixtures-dir': { type: 'string' },
    },
  });
  const port = Number(values.port);
  const driftMs = values['drift-ms'] === undefined ? undefined : Number(values['drift-ms']);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port ${values.port} is not a port`);
  if (driftMs !== undefined && !(Number.isInteger(driftMs) && driftMs > 0)) {
    throw new Error(`--drift-ms ${values['drift-ms']} is not a positive whole number of milliseconds`);
  }
  return { port, host: values.host, driftMs, fixturesDir: values['fixtures-dir'] };
}

async function main(): Promise<void> {
  const fake = await startFakeDouban(readOptions());
  console.log(`fake douban listening on ${fake.url}`);
  const stop = (signal: NodeJS.Signals) => {
    console.log(`fake douban closing (${signal})`);
    fake.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
