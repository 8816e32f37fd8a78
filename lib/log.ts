import 'server-only';
import pino, { type DestinationStream } from 'pino';
import { env } from '@/lib/env';

type Level = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

export interface Log {
  logEvent(level: Level, event: string, fields?: Fields): void;
  logThrottled(level: Level, event: string, key: string, fields?: Fields): void;
}

const throttleMs = 10_000;

/**
 * Builds the two log functions over pino, writing `info` and `debug` to `out` and `warn` and `error`
 * to `err`. Exported for tests; everything else imports `logEvent` and `logThrottled`.
 */
export function createLog({
  level,
  out,
  err,
}: {
  level: Level;
  out: DestinationStream;
  err: DestinationStream;
}): Log {
  const logger = pino(
    {
      level,
      // No pid or hostname on every line: the platform's log shipper knows where a line came from.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // `dedupe`: each line goes to the most severe stream that takes it, so warnings are not doubled.
    pino.multistream(
      [
        { level: 'debug', stream: out },
        { level: 'warn', stream: err },
      ],
      { dedupe: true },
    ),
  );

  const logEvent: Log['logEvent'] = (level, event, fields = {}) => {
    logger[level]({ event, ...fields });
  };

  const windows = new Map<string, { until: number; suppressed: number }>();
  const logThrottled: Log['logThrottled'] = (level, event, key, fields = {}) => {
    if (!logger.isLevelEnabled(level)) return;
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
  };

  return { logEvent, logThrottled };
}

// Through console, as before pino: unit tests read log lines by spying on console.log and
// console.error. console writes to files and pipes synchronously on Linux, so a line logged just
// before process.exit (shutdown, a crash) is not lost. No pino transports: they run in worker
// threads, which bundlers break.
const log = createLog({
  level: env.logLevel,
  out: { write: (line: string) => console.log(line.trimEnd()) },
  err: { write: (line: string) => console.error(line.trimEnd()) },
});

/**
 * One JSON line per event that matters (`{"level":"warn","time":"…","event":"poll-failed","city":…}`),
 * so logs can be grepped and shipped as they are: `info` and `debug` on stdout, `warn` and `error` on
 * stderr. Quiet by default: nothing is logged per request or per stream at `info`; LOG_LEVEL=debug
 * adds that, warn gives less.
 */
export const logEvent = log.logEvent;

/**
 * `logEvent` for what a client can cause by the thousand (slow readers, refused streams): at most
 * one line per `key` every 10 s; the next line says how many were left out (`suppressed`). Metrics
 * count every one of them.
 */
export const logThrottled = log.logThrottled;
