import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLog } from './log';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const out: string[] = [];
  const err: string[] = [];
  const log = createLog({
    level,
    out: { write: (line: string) => out.push(line) },
    err: { write: (line: string) => err.push(line) },
  });
  const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, out, err, parsed };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('logEvent', () => {
  it('writes one JSON line with time, level label, event and the fields', () => {
    vi.useFakeTimers({ now: new Date('2026-11-30T08:00:00.000Z') });
    const { log, out, parsed } = capture();
    log.logEvent('info', 'poll-recovered', { city: 'shanghai', failures: 3 });
    expect(out).toHaveLength(1);
    expect(out[0]?.endsWith('\n')).toBe(true);
    expect(out[0]?.trimEnd()).not.toContain('\n');
    expect(parsed(out)[0]).toEqual({
      time: '2026-11-30T08:00:00.000Z',
      level: 'info',
      event: 'poll-recovered',
      city: 'shanghai',
      failures: 3,
    });
  });

  it('sends warn and error to the error stream only, info and debug to the other', () => {
    const { log, out, err, parsed } = capture('debug');
    log.logEvent('debug', 'poll-ok');
    log.logEvent('info', 'shutdown');
    log.logEvent('warn', 'poll-failed');
    log.logEvent('error', 'poll-crashed');
    expect(parsed(out).map((line) => line.event)).toEqual(['poll-ok', 'shutdown']);
    expect(parsed(err).map((line) => [line.level, line.event])).toEqual([
      ['warn', 'poll-failed'],
      ['error', 'poll-crashed'],
    ]);
  });

  it('writes nothing below the level it was given', () => {
    const { log, out, err, parsed } = capture('warn');
    log.logEvent('debug', 'stream-closed');
    log.logEvent('info', 'shutdown');
    log.logEvent('warn', 'poll-failed');
    expect(out).toEqual([]);
    expect(parsed(err).map((line) => line.event)).toEqual(['poll-failed']);
  });
});

describe('logThrottled', () => {
  it('writes one line per key every 10 s and then says how many it left out', () => {
    vi.useFakeTimers({ now: 0 });
    const { log, out, parsed } = capture();
    for (let i = 0; i < 5; i += 1) log.logThrottled('info', 'stream-refused', 'refused:ip', { reason: 'ip' });
    log.logThrottled('info', 'stream-refused', 'refused:max', { reason: 'max' });
    vi.setSystemTime(10_000);
    log.logThrottled('info', 'stream-refused', 'refused:ip', { reason: 'ip' });
    expect(parsed(out).map(({ reason, suppressed }) => ({ reason, suppressed }))).toEqual([
      { reason: 'ip', suppressed: undefined },
      { reason: 'max', suppressed: undefined },
      { reason: 'ip', suppressed: 4 },
    ]);
  });

  it('writes nothing below the level, whatever the key', () => {
    vi.useFakeTimers({ now: 0 });
    const { log, out, err } = capture('warn');
    log.logThrottled('info', 'slow-client-dropped', 'slow:shanghai');
    log.logThrottled('warn', 'poster-failed', 'poster-failed:404');
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
  });
});
