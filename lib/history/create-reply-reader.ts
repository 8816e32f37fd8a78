import 'server-only';
import { logEvent } from '@/lib/log';
import { BadHistoryEntry } from './redis-history-codec';
import { pairsOf, WRONG_TYPE } from './run-redis-commands';

/** Skipped values logged per key and member, at most this many remembered (then forgotten at once). */
const REMEMBERED = 10_000;

/**
 * Reads the history's replies from Redis, where anything may have been written by hand: a value
 * that is not one the history writes (`BadHistoryEntry`, or a key of another type) is skipped and
 * logged once as `bad-history-entry`, never thrown, so a poll goes on with what could be read.
 */
export function createReplyReader() {
  const warned = new Set<string>();
  const warnOnce = (key: string, why: string, member?: string): undefined => {
    const what = `${key} ${member ?? ''}`;
    if (warned.has(what)) return;
    if (warned.size >= REMEMBERED) warned.clear();
    warned.add(what);
    logEvent('warn', 'bad-history-entry', { key, member: member?.slice(0, 200), why });
  };

  /** `decode(value)`, or undefined when it is not what the history writes. */
  const read = <V, T>(
    key: string,
    value: V | typeof WRONG_TYPE,
    decode: (value: V) => T,
    member?: string,
  ): T | undefined => {
    if (value === WRONG_TYPE) return warnOnce(key, 'wrong type', member);
    try {
      return decode(value);
    } catch (error) {
      if (!(error instanceof BadHistoryEntry)) throw error;
      return warnOnce(key, error.message, member);
    }
  };

  /** A sorted set's `WITHSCORES` reply: each member with its value, undefined when bad. */
  const members = <T extends { at: number }>(key: string, reply: unknown, decode: (member: string) => T) => {
    const decodeScored = ([member, score]: [string, number]) => {
      const value = decode(member);
      // A member whose `at` is not its score would be found in the wrong ranges.
      if (value.at !== score) throw new BadHistoryEntry(`at ${value.at}, score ${score}`);
      return value;
    };
    const pairs = read(key, reply as string[], pairsOf) ?? [];
    return pairs.map((pair) => ({ member: pair[0], value: read(key, pair, decodeScored, pair[0]) }));
  };

  /** The good values of `members`, in order. */
  const values = <T>(list: ReadonlyArray<{ value: T | undefined }>): T[] =>
    list.flatMap(({ value }) => (value === undefined ? [] : [value]));

  return { warnOnce, read, members, values };
}
