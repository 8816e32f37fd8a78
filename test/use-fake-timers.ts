import { afterEach, beforeEach, vi } from 'vitest';

/** Every test of the calling file runs on fake timers (polls, grace periods, heartbeats by hand). */
export function useFakeTimersInEachTest(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
