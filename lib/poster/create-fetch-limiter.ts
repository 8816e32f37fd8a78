import 'server-only';
import { HttpError } from '@/lib/errors';

export interface FetchLimiter {
  /** Runs `task` when a slot is free; refuses at once (503) when too many already wait. */
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

/**
 * At most `concurrency` tasks at a time, the rest waiting in order, at most `maxWaiting` of them.
 * The poster proxy's guard against being used to flood Douban's image hosts: a page asks for ~100
 * posters at once and they queue (nothing is refused), but a flood of distinct URLs cannot make
 * thousands of requests to Douban at the same time, nor hold thousands of bodies in memory.
 */
export function createFetchLimiter({
  concurrency,
  maxWaiting,
}: {
  concurrency: number;
  maxWaiting: number;
}): FetchLimiter {
  let running = 0;
  const queue: Array<() => void> = [];

  // A finished task hands its slot to the first waiter, if any, or gives it back.
  const next = () => {
    const waiter = queue.shift();
    if (waiter) waiter();
    else running -= 1;
  };

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running >= concurrency) {
        if (queue.length >= maxWaiting) {
          throw new HttpError({
            status: 503,
            code: 'poster-busy',
            message: 'Too many posters are being fetched right now; try again in a moment.',
            headers: { 'Retry-After': '5' },
          });
        }
        // The slot is handed over by `next`: `running` stays counted for the waiter.
        await new Promise<void>((resolve) => queue.push(resolve));
      } else {
        running += 1;
      }
      try {
        return await task();
      } finally {
        next();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
