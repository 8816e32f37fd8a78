// How every browser of the project is launched (e2e, benchmarks, screenshots): Debian's Chromium,
// since Playwright's own browser downloads do not work offline, headless, with nothing running in
// the background that could reach the network or skew a measurement.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
