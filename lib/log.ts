import 'server-only';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold =
  order[(process.env.LOG_LEVEL as Level) in order ? (process.env.LOG_LEVEL as Level) : 'info'];

/**
 * One JSON line per event that matters (`{"level":"warn","event":"poll-failed","city":...}`), so logs
 * can be grepped and shipped as they are. Quiet by default: nothing is logged per request or per
 * stream at `info`; set LOG_LEVEL=debug for that, warn for less.
 */
export function logEvent(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < threshold) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

const throttleMs = 10_000;
const windows = new Map<string, { until: number; suppressed: number }>();

/**
 * `logEvent` for what a client can cause by the thousand (slow readers, refused streams): at most
 * one line per `key` every 10 s; the next line says how many were left out (`suppressed`). Metrics
 * count every one of them.
 */
export function logThrottled(
  level: Level,
  event: string,
  key: string,
  fields: Record<string, unknown> = {},
): void {
  if (order[level] < threshold) return;
  const now = Date.now();
  const window = windows.get(key);
  if (window && now < window.until) {
    window.suppressed += 1;
    return;
  }
  const suppressed = window?.suppressed ?? 0;
  windows.set(key, { until: now + throttleMs, suppressed: 0 });
  // Forget quiet keys, so the map stays as small as the set of things going wrong right now.
  if (windows.size > 1000) for (const [k, w] of windows) if (w.until < now) windows.delete(k);
  logEvent(level, event, suppressed > 0 ? { ...fields, suppressed } : fields);
}
