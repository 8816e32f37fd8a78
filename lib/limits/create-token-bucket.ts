import 'server-only';

/** A budget of events per second with some allowance saved up (a token bucket). */
export interface TokenBucket {
  /**
   * Milliseconds until `threshold` tokens (default one) are there; 0 when they are there now. A
   * caller of low priority waits for more than one, so that callers of high priority, which take
   * the last ones, come first when the budget is short.
   */
  wait(threshold?: number): number;
  /** Spends one token; call only after `wait()` said 0. */
  take(): void;
}

/**
 * A bucket that holds at most `burst` tokens, starts full and gains `perSecond` a second. `now` is
 * a clock in milliseconds (default `performance.now`, which never goes back as the wall clock can).
 */
export function createTokenBucket({
  perSecond,
  burst,
  now = () => performance.now(),
}: {
  perSecond: number;
  burst: number;
  now?: () => number;
}): TokenBucket {
  let tokens = burst;
  let at = now();
  const refill = () => {
    const time = now();
    tokens = Math.min(burst, tokens + ((time - at) * perSecond) / 1000);
    at = time;
  };
  return {
    wait(threshold = 1) {
      refill();
      const needed = Math.min(Math.max(1, threshold), burst);
      return tokens >= needed ? 0 : Math.ceil(((needed - tokens) * 1000) / perSecond);
    },
    take() {
      refill();
      tokens -= 1;
    },
  };
}
