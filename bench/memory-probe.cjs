// Preloaded into the server under test by `npm run bench` (NODE_OPTIONS=--require), so the bench can read
// the JS heap of a process it did not write: on SIGUSR2 the process collects garbage and writes
// `process.memoryUsage()` to $BENCH_PROBE_DIR/<pid>.json, with the event loop's delay (p99 and max,
// in ms) since the sample before; the gc() itself is left out of the next window. Without
// BENCH_PROBE_DIR it does nothing.
const { isMainThread } = require('node:worker_threads');

const dir = process.env.BENCH_PROBE_DIR;
if (dir && isMainThread) {
  const fs = require('node:fs');
  const path = require('node:path');
  require('node:v8').setFlagsFromString('--expose-gc');
  const gc = require('node:vm').runInNewContext('gc');
  // Tells the bench that SIGUSR2 is handled here (without a handler it would end the process).
  fs.writeFileSync(path.join(dir, `${process.pid}.loaded`), '');
  const loop = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('SIGUSR2', () => {
    const eventLoop = { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 };
    gc();
    const file = path.join(dir, `${process.pid}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), eventLoop, ...process.memoryUsage() }));
    fs.renameSync(`${file}.tmp`, file);
    loop.reset();
  });
}
