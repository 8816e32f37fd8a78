import 'server-only';
import { LRUCache } from 'lru-cache';
import { HttpError } from '@/lib/errors';
import { createTokenBucket, type TokenBucket } from '@/lib/limits/create-token-bucket';
import { clientKeyOf } from '@/lib/net/client-key-of';

/** A bucket holds this many seconds of its rate: a cold page of ~95 posters is fetched at once. */
const burstSeconds = 10;
/** Clients whose fetch budgets are remembered; one forgotten comes back with a full bucket. */
const maxClients = 10_000;

/** Who asks for a poster: an address, null when unreadable (all such share one budget), undefined when not told. */
export type PosterClient = string | null | undefined;

/** How much of Douban's image hosts and of this process one client, and all of them, may use. */
export interface PosterBudget {
  /**
   * Takes a place for one answer to `client` while it is produced, or throws 429 `poster-client-busy`
   * past `answersPerClient`; returns the function that gives it back.
   */
  enter(client: PosterClient): () => void;
  /**
   * Spends one upstream fetch of `client`'s budget and the process's, or spends nothing and throws:
   * 429 `poster-client-budget` or 503 `poster-budget`, with a spread `Retry-After`.
   */
  spendFetch(client: PosterClient): void;
}

/**
 * Budgets for the poster proxy: `fetchesPerSecond` upstream fetches for the process and
 * `fetchesPerClientPerSecond` for each client (0: no limit), each with ten seconds of its rate saved
 * up, and `answersPerClient` answers in progress per client. A caller that does not say who the
 * client is (`undefined`) is held only to the process's budget.
 */
export function createPosterBudget({
  fetchesPerSecond,
  fetchesPerClientPerSecond,
  answersPerClient,
  now,
}: {
  fetchesPerSecond: number;
  fetchesPerClientPerSecond: number;
  answersPerClient: number;
  now?: () => number;
}): PosterBudget {
  const bucket = (perSecond: number) =>
    createTokenBucket({ perSecond, burst: Math.max(1, perSecond * burstSeconds), now });
  const processBucket = fetchesPerSecond > 0 ? bucket(fetchesPerSecond) : null;
  const clientBuckets = new LRUCache<string, TokenBucket>({ max: maxClients });
  const answering = new Map<string, number>();

  const clientBucket = (key: string): TokenBucket | null => {
    if (fetchesPerClientPerSecond <= 0) return null;
    let found = clientBuckets.get(key);
    if (!found) {
      found = bucket(fetchesPerClientPerSecond);
      clientBuckets.set(key, found);
    }
    return found;
  };

  return {
    enter(client) {
      if (client === undefined) return () => {};
      const key = clientKeyOf(client);
      const count = answering.get(key) ?? 0;
      if (count >= answersPerClient) {
        throw refuse({
          status: 429,
          code: 'poster-client-busy',
          message: `Your address already has ${answersPerClient} posters on their way; try again in a moment.`,
          waitMs: 1000,
        });
      }
      answering.set(key, count + 1);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        const after = (answering.get(key) ?? 1) - 1;
        if (after > 0) answering.set(key, after);
        else answering.delete(key);
      };
    },
    spendFetch(client) {
      const own = client === undefined ? null : clientBucket(clientKeyOf(client));
      // The client's own budget first: a client past it must not spend the process's.
      const ownWait = own?.wait() ?? 0;
      if (ownWait > 0) {
        throw refuse({
          status: 429,
          code: 'poster-client-budget',
          message: `Your address asked for more than ${fetchesPerClientPerSecond} new posters a second.`,
          waitMs: ownWait,
        });
      }
      const wait = processBucket?.wait() ?? 0;
      if (wait > 0) {
        throw refuse({
          status: 503,
          code: 'poster-budget',
          message: `This server fetches at most ${fetchesPerSecond} new posters a second from Douban.`,
          waitMs: wait,
        });
      }
      own?.take();
      processBucket?.take();
    },
  };
}

/** The refusal, with `Retry-After` spread over up to twice the wait so refused clients do not return in step. */
function refuse({
  status,
  code,
  message,
  waitMs,
}: {
  status: number;
  code: string;
  message: string;
  waitMs: number;
}) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const retryAfter = seconds + Math.floor(Math.random() * (seconds + 1));
  return new HttpError({
    status,
    code,
    message: `${message} Try again in ${retryAfter} seconds.`,
    details: { retryAfterSeconds: retryAfter },
    headers: { 'Retry-After': String(retryAfter) },
  });
}
