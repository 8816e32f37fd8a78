import type { Movie } from '@/lib/types';
import { classifyListMove, type ListMove } from './classify-list-move';
import type { Change } from './create-change-coalescer';
import { joinClauses } from './join-clauses';

/** The board's moves (phraseChanges counts them), said of the one film the page is about. */
const MOVES: Record<ListMove, string> = {
  released: '已上映',
  listed: '已加入即将上映',
  left: '已下映',
  dropped: '已移出即将上映',
};

const count = new Intl.NumberFormat('zh-CN');

function phraseScore(before: number | null, after: number | null): string {
  if (before === null) return `开分 ${after?.toFixed(1)}`;
  return `评分 ${before.toFixed(1)} → ${after === null ? '暂无' : after.toFixed(1)}`;
}

/**
 * One sentence for screen readers on the film page, on what changed of its film in the city
 * (`null`: on no list of it): its list first ("已下映。"), then its score ("评分 7.9 → 8.1" or
 * "开分 8.1") and 想看 (upcoming films' own figure). Votes alone are not told, as on the board: they
 * move every poll. A film that comes back is told as back, not with values it had before it left.
 * `null` when nothing worth saying changed.
 */
export function phraseFilmChange({ before, after }: Change<Movie | null>): string | null {
  const clauses: string[] = [];
  const move = classifyListMove({ before: before?.category ?? null, after: after?.category ?? null });
  if (move) clauses.push(MOVES[move]);
  if (before && after) {
    if (before.score !== after.score) clauses.push(phraseScore(before.score, after.score));
    if (before.wish !== null && after.wish !== null && before.wish !== after.wish) {
      clauses.push(`想看 ${count.format(before.wish)} → ${count.format(after.wish)}`);
    }
  }
  return joinClauses(clauses);
}
