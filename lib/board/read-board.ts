import 'server-only';
import { env } from '@/lib/env';
import type { BoardSnapshot } from '@/lib/types';
import type { Boards } from './create-boards';

/** A page render waits this long at most for Douban before it shows what the board already has. */
const maxWaitMs = 2_500;

/**
 * The current board of a validated city, for the server-rendered page and GET /api/movies. If nobody
 * is watching the city and its data is due for a refresh, this polls Douban once (still at most one
 * request per interval), waiting at most 2.5 s before answering with the board as it stands.
 */
export async function readBoard(input: { city: string; boards: Boards }): Promise<BoardSnapshot> {
  return JSON.parse(await readBoardJson(input)) as BoardSnapshot;
}

/** The same, as the JSON text the board serialized once for this version. */
export async function readBoardJson({ city, boards }: { city: string; boards: Boards }): Promise<string> {
  const { board, sync, poller } = boards.feed(city);
  await sync.ready;
  await poller.pollIfDue(Math.min(maxWaitMs, env.doubanTimeoutMs));
  return board.snapshotText();
}
