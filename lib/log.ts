import 'server-only';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold =
  order[(process.env.LOG_LEVEL as Level) in order ? (process.env.LOG_LEVEL as Level) : 'info'];

/**
 * One JSON line per event that matters (`{"level":"warn","event":"poll-failed","city":...}`), so logs
 * can be grepped and shipped as they are. Set LOG_LEVEL=debug for more, warn for less.
 */
export function logEvent(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < threshold) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}
