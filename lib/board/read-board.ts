import 'server-only';
import { env } from '@/lib/env';
import type { BoardSnapshot } from '@/lib/types';
import { getBoard } from './get-board';

/** A page render waits this long at most for Douban before it shows what the board already has. */
const maxWaitMs = 2_500;

/**
 * The current board of a validated city, for the server-rendered page and GET /api/movies. If nobody
 * is watching the city and its data is due for a refresh, this polls Douban once (still at most one
 * request per interval), waiting at most 2.5 s before answering with the board as it stands.
 */
export async function readBoard({ city }: { city: string }): Promise<BoardSnapshot> {
  return JSON.parse(await readBoardJson({ city })) as BoardSnapshot;
}

/** The same, as the JSON text the board serialized once for this version. */
export async function readBoardJson({ city }: { city: string }): Promise<string> {
  const board = getBoard(city);
  await board.ready;
  await board.refresh(Math.min(maxWaitMs, env.doubanTimeoutMs));
  return board.snapshotText();
}
