import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BoardSnapshot } from '@/lib/types';
import { createChangeCoalescer } from './create-change-coalescer';

const board = (version: number): BoardSnapshot => ({
  city: 'shanghai',
  version,
  fetchedAt: '2026-11-25T00:00:00.000Z',
  stale: false,
  source: 'douban',
  nowPlaying: [],
  upcoming: [],
});

describe('createChangeCoalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('flushes one change after the window, from the board before it to the board after it', () => {
    const onFlush = vi.fn();
    const coalescer = createChangeCoalescer({ windowMs: 1_000, onFlush });
    coalescer.note({ before: board(1), after: board(2) });
    vi.advanceTimersByTime(999);
    expect(onFlush).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onFlush).toHaveBeenCalledExactlyOnceWith({ before: board(1), after: board(2) });
  });

  it('gathers a burst into one flush: the board before the first change, after the last', () => {
    const onFlush = vi.fn();
    const coalescer = createChangeCoalescer({ windowMs: 1_000, onFlush });
    coalescer.note({ before: board(1), after: board(2) });
    vi.advanceTimersByTime(10);
    coalescer.note({ before: board(2), after: board(3) });
    coalescer.note({ before: board(3), after: board(4) });
    vi.advanceTimersByTime(990);
    expect(onFlush).toHaveBeenCalledExactlyOnceWith({ before: board(1), after: board(4) });
  });

  it('starts the window at the first change, so a steady stream still flushes every window', () => {
    const onFlush = vi.fn();
    const coalescer = createChangeCoalescer({ windowMs: 1_000, onFlush });
    for (let version = 1; version <= 5; version += 1) {
      coalescer.note({ before: board(version), after: board(version + 1) });
      vi.advanceTimersByTime(400);
    }
    // At 1,000 ms (versions 1→4) and 2,200 ms (4→6): not held back until the stream pauses.
    vi.advanceTimersByTime(1_000);
    expect(onFlush.mock.calls).toEqual([
      [{ before: board(1), after: board(4) }],
      [{ before: board(4), after: board(6) }],
    ]);
  });

  it('forgets what it gathered when cancelled, and starts afresh after', () => {
    const onFlush = vi.fn();
    const coalescer = createChangeCoalescer({ windowMs: 1_000, onFlush });
    coalescer.note({ before: board(1), after: board(2) });
    coalescer.cancel();
    vi.advanceTimersByTime(5_000);
    expect(onFlush).not.toHaveBeenCalled();
    coalescer.note({ before: board(7), after: board(8) });
    vi.advanceTimersByTime(1_000);
    expect(onFlush).toHaveBeenCalledExactlyOnceWith({ before: board(7), after: board(8) });
  });

  it('keeps an empty state before the first change (a film not listed, then listed, then changed)', () => {
    const onFlush = vi.fn();
    const coalescer = createChangeCoalescer<string | null>({ windowMs: 1_000, onFlush });
    coalescer.note({ before: null, after: 'listed' });
    coalescer.note({ before: 'listed', after: 'rescored' });
    vi.advanceTimersByTime(1_000);
    expect(onFlush).toHaveBeenCalledExactlyOnceWith({ before: null, after: 'rescored' });
  });
});
