import { isSortOffered, type SortKey } from './arrange-movies';
import type { BoardTab } from './BoardTabs';
import type { BoardView } from './board-view';

const SORT_LABELS: Record<SortKey, string> = {
  default: '豆瓣默认',
  score: '评分',
  votes: '评价人数',
  wish: '想看人数',
  release: '上映日期',
  title: '片名',
  growth: '评价增长',
  move: '评分变化',
};

const MIN_SCORES = [0, 6, 7, 7.5, 8, 8.5, 9];

const REGIONS: Record<BoardView['region'], string> = { all: '全部', cn: '华语', intl: '外语' };

const MINE: Record<BoardView['mine'], string> = {
  all: '全部',
  followed: '关注的',
  wish: '想看',
  seen: '看过',
};

/**
 * Sort order and filters: score, region, the viewer's marks and a text over title, directors and
 * actors. A GET form, so without JavaScript 应用 submits it and the server renders the board it asks
 * for; with JavaScript each change applies at once (`onChange`). A tab offers only the sorts that mean
 * something on its list, the trend sorts only when the board has trends (`isSortOffered`); the score
 * fields hide on 即将上映, whose films have no score.
 */
export function SortFilterBar({
  city,
  view,
  tab,
  sort,
  trends,
  scripted,
  onChange,
}: {
  city: string;
  view: BoardView;
  /** The tab shown: the chosen one, or 正在上映 while 最近下映 has no films. */
  tab: BoardTab;
  /** The sort the tab shows (see `resolveSort`). */
  sort: SortKey;
  trends: boolean;
  /** Whether the page runs JavaScript: the viewer's marks are known, no submit button is needed. */
  scripted: boolean;
  onChange: (view: BoardView) => void;
}) {
  const category = tab;
  const labels =
    category === 'upcoming'
      ? { ...SORT_LABELS, growth: '想看增长' }
      : category === 'left'
        ? { ...SORT_LABELS, default: '下映时间' }
        : SORT_LABELS;
  const keys = (Object.keys(labels) as SortKey[]).filter((key) => isSortOffered({ key, category, trends }));
  const minScores = MIN_SCORES.includes(view.min)
    ? MIN_SCORES
    : [...MIN_SCORES, view.min].sort((a, b) => a - b);
  const change = (patch: Partial<BoardView>) => onChange({ ...view, ...patch });

  return (
    <form className="sort-filter" action="/" method="get" onSubmit={(event) => event.preventDefault()}>
      <input type="hidden" name="city" value={city} />
      {view.tab !== 'nowplaying' && <input type="hidden" name="tab" value={view.tab} />}
      <label className="field">
        <span className="field-label">排序</span>
        <select
          name="sort"
          value={sort}
          onChange={(event) => change({ sort: event.target.value as SortKey })}
        >
          {keys.map((key) => (
            <option key={key} value={key}>
              {labels[key]}
            </option>
          ))}
        </select>
      </label>
      {/* Hidden, not removed: a hidden field is still submitted, so the filter survives the tab. */}
      <div className="sort-filter-group" hidden={category === 'upcoming'}>
        <label className="field">
          <span className="field-label">最低评分</span>
          <select
            name="min"
            value={String(view.min)}
            onChange={(event) => change({ min: Number(event.target.value) })}
          >
            {minScores.map((score) => (
              <option key={score} value={String(score)}>
                {score === 0 ? '不限' : `${score.toFixed(1)} 分以上`}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-check">
          <input
            type="checkbox"
            name="rated"
            value="1"
            checked={view.rated}
            onChange={(event) => change({ rated: event.target.checked })}
          />
          隐藏暂无评分
        </label>
      </div>
      <label className="field">
        <span className="field-label">地区</span>
        <select
          name="region"
          value={view.region}
          onChange={(event) => change({ region: event.target.value as BoardView['region'] })}
        >
          {Object.entries(REGIONS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">我的标记</span>
        <select
          name="mine"
          value={view.mine}
          onChange={(event) => change({ mine: event.target.value as BoardView['mine'] })}
        >
          {Object.entries(MINE).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="field field-grow">
        <span className="field-label">筛选</span>
        <input
          type="search"
          name="q"
          value={view.q}
          placeholder="片名、导演或演员"
          onChange={(event) => change({ q: event.target.value })}
        />
      </label>
      {!scripted && (
        <button type="submit" className="sort-filter-submit">
          应用
        </button>
      )}
      {!scripted && view.mine !== 'all' && (
        <p className="sort-filter-note" data-testid="marks-note">
          “我的标记”记在你的浏览器里，服务器看不到：需要 JavaScript 才能按它筛选，现在显示的是全部影片。
        </p>
      )}
    </form>
  );
}
