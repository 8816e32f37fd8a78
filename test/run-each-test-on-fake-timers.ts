import { afterEach, beforeEach, vi } from 'vitest';

/** Every test of the calling file runs on fake timers (polls, grace periods, heartbeats by hand). */
export function runEachTestOnFakeTimers(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
