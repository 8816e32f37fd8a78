/**
 * The shape of every sentence a live region of ours says: its clauses in the order given, joined by
 * "，" and ended by "。"; `null` when there is nothing to say, so nothing is announced.
 */
export function joinClauses(clauses: readonly string[]): string | null {
  return clauses.length === 0 ? null : `${clauses.join('，')}。`;
}
