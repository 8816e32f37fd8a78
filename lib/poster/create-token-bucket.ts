import 'server-only';

/** A budget of events per second with some allowance saved up (a token bucket). */
export interface TokenBucket {
  /** Milliseconds until one token is there; 0 when one is there now. */
  wait(): number;
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
    wait() {
      refill();
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1000) / perSecond);
    },
    take() {
      refill();
      tokens -= 1;
    },
  };
}
