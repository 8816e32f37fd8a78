import 'server-only';
import type { ChainableCommander } from 'ioredis';

/** `[name, key, ...arguments]`: the key comes first, so a failed command tells which key failed. */
export type Command = [name: string, key: string, ...args: Array<string | number>];

/** The reply of a command on a key that holds another type than the command's. */
export const WRONG_TYPE = Symbol('wrong type');

/**
 * Runs a pipeline or a MULTI/EXEC and answers its replies in order, WRONG_TYPE for a key holding
 * another type (garbage: the caller skips it); any other failure (Redis away, a timeout) throws.
 */
export async function runCommands(chain: ChainableCommander): Promise<unknown[]> {
  const results = await chain.exec();
  if (!results) throw new Error('Redis transaction aborted');
  return results.map(([error, reply]) => {
    if (!error) return reply;
    if (error.message.startsWith('WRONGTYPE')) return WRONG_TYPE;
    throw error;
  });
}

/** `items` in slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

/** A `WITHSCORES` reply, `[member, score, member, score, …]`, as pairs. */
export function pairsOf(reply: readonly string[]): Array<[member: string, score: number]> {
  return chunks(reply, 2).map(([member, score]) => [member as string, Number(score)]);
}
