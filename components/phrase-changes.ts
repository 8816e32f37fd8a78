import { joinClauses } from './join-clauses';
import type { ChangeCounts } from './summarize-changes';

/** The order of the sentence: what most viewers watch for first. */
const PHRASES: [keyof ChangeCounts, string][] = [
  ['rescored', '评分变化'],
  ['released', '新上映'],
  ['listed', '加入即将上映'],
  ['left', '下映'],
  ['dropped', '移出即将上映'],
];

/**
 * One sentence for screen readers on a batch of changes: "3 部影片评分变化，1 部新上映，1 部下映。",
 * the kinds that happened only, in a fixed order. `null` when there is nothing worth saying.
 */
export function phraseChanges(counts: ChangeCounts): string | null {
  return joinClauses(
    PHRASES.filter(([kind]) => counts[kind] > 0).map(
      ([kind, phrase], index) => `${counts[kind]} 部${index === 0 ? '影片' : ''}${phrase}`,
    ),
  );
}
