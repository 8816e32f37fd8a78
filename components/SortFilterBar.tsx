import type { MovieCategory } from '@/lib/types';
import type { SortKey } from './arrange-movies';

const SORT_LABELS: Record<SortKey, string> = {
  default: '豆瓣默认',
  score: '评分',
  votes: '评价人数',
  title: '片名',
};

/** Sort order and a text filter over title, directors and actors. */
export function SortFilterBar({
  category,
  sort,
  query,
  onSort,
  onQuery,
}: {
  category: MovieCategory;
  sort: SortKey;
  query: string;
  onSort: (sort: SortKey) => void;
  onQuery: (query: string) => void;
}) {
  const labels = category === 'upcoming' ? { ...SORT_LABELS, votes: '想看人数' } : SORT_LABELS;
  return (
    <div className="sort-filter">
      <label className="field">
        <span className="field-label">排序</span>
        <select value={sort} onChange={(event) => onSort(event.target.value as SortKey)}>
          {(Object.keys(labels) as SortKey[]).map((key) => (
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
