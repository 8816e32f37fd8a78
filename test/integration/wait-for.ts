import type { BoardSnapshot, BoardStatus } from '@/lib/types';
import type { SseClient } from './sse-client';

/**
 * Re-checks `check` every 50 ms until it holds, for what the server only reports after the fact
 * (health, metrics, logs, a closed socket): there is no event a test could await. Bounded by `ms`.
 */
export async function eventually(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 10_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Skips the saved or empty board a city shows first, up to the first board fetched from Douban. */
export async function liveSnapshot(client: SseClient): Promise<BoardSnapshot> {
  for (;;) {
    const { data } = await client.next('snapshot');
    if ((data as BoardSnapshot).source === 'douban') return data as BoardSnapshot;
  }
}

/** The next status event in `state`, skipping any other status on the way. */
export async function nextStatus(client: SseClient, state: BoardStatus['state']): Promise<BoardStatus> {
  for (;;) {
    const { data } = await client.next('status');
    if ((data as BoardStatus).state === state) return data as BoardStatus;
  }
}
