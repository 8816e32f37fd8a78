/**
 * The places under STREAMS_PER_IP held across every instance of a cluster (with Redis), so that one
 * address holds at most that many streams in all, not that many on each instance. A client is
 * counted by its key (see `clientKeyOf`). Each instance's places die with it: a crashed instance
 * leaves no address locked out for longer than its lease.
 */
export interface StreamPlaces {
  /**
   * Takes a place for `key` unless the cluster's instances together hold `limit` for it; resolves
   * false when they do. When the shared count cannot be asked (Redis away or slow), resolves true:
   * the place is counted by this process alone, which applies the limit on its own, and joins the
   * shared count once Redis is back.
   */
  take(key: string, limit: number): Promise<boolean>;
  /** Gives back a place `take` gave. Never throws. */
  give(key: string): void;
  /** Gives back every place of this instance at once (at the end of a shutdown) and disconnects. */
  close(): Promise<void>;
}
