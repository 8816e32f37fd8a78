import { isSortOffered, type SortKey } from './arrange-movies';
import type { BoardTab } from './BoardTabs';

const SORT_LABELS: Record<SortKey, string> = {
  default: '豆瓣默认',
  score: '评分',
  votes: '评价人数',
  title: '片名',
  growth: '评价增长',
  move: '评分变化',
};

/**
 * Sort order and a text filter over title, directors and actors. The trend sorts are offered only
 * when the board has trends (`trends`); upcoming movies have no score to move.
 */
export function SortFilterBar({
  category,
  trends,
  sort,
  query,
  onSort,
  onQuery,
}: {
  category: BoardTab;
  trends: boolean;
  sort: SortKey;
  query: string;
  onSort: (sort: SortKey) => void;
  onQuery: (query: string) => void;
}) {
  const labels =
    category === 'upcoming'
      ? { ...SORT_LABELS, votes: '想看人数', growth: '想看增长' }
      : category === 'left'
        ? { ...SORT_LABELS, default: '下映时间' }
        : SORT_LABELS;
  const keys = (Object.keys(labels) as SortKey[]).filter((key) => isSortOffered({ key, category, trends }));
  return (
    <div className="sort-filter">
      <label className="field">
        <span className="field-label">排序</span>
        <select value={sort} onChange={(event) => onSort(event.target.value as SortKey)}>
          {keys.map((key) => (
            <option key={key} value={key}>
              {labels[key]}
            </option>
          ))}
        </select>
      </label>
      <label className="field field-grow">
        <span className="field-label">筛选</span>
        <input
          type="search"
          value={query}
          placeholder="片名、导演或演员"
          onChange={(event) => onQuery(event.target.value)}
        />
      </label>
    </div>
  );
}
