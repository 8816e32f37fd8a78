import { useEffect, useState } from 'react';

/**
 * The time in ms, renewed every `periodMs` (default a minute): what the cards' marks are computed
 * against. A state rather than `Date.now()` in render, so a render is a function of its props and
 * the memoized cards all move to the next minute together.
 */
export function useNow(periodMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
