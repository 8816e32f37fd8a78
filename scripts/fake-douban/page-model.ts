import { FakeDoubanError } from './fake-douban-error';
import { cloneItem, readItemAttribute, readItemScore, setItemScore } from './item-markup';
import type { NewMovie } from './types';

/** One city's page that can change on command and renders back to Douban's exact markup. */
export interface PageModel {
  /** The page as Douban would serve it now; byte-identical to the recording until something changes. */
  render(): string;
  /** Ids of the `#nowplaying` movies on the page, in page order. */
  movieIds(): string[];
  /** The movie's score, or null when unrated. Throws (404) when it is not on the page. */
  scoreOf(id: string): number | null;
  votesOf(id: string): number;
  setScore(input: { id: string; score: number | null; votes?: number }): void;
  addMovie(input: NewMovie): void;
  /** Lists a `#nowplaying` movie in `#upcoming` too (first there), as Douban's page sometimes does. */
  listAlsoUpcoming(id: string): void;
  removeMovie(id: string): void;
  /** Ids removed from the page that `restoreMovie` can bring back. */
  removedIds(): string[];
  /** Puts a removed movie back where it was, with the markup it had. */
  restoreMovie(id: string): void;
}

interface Item {
  id: string;
  /** The item's markup, with the whitespace that precedes it so that joining items keeps the page's layout. */
  html: string;
}

/**
 * Splits a recorded page into what comes before the `#nowplaying` items, the items, and what
 * follows them (the `#upcoming` list included), so that edits touch one item and nothing else.
 */
export function createPageModel(page: string): PageModel {
  const { head, items, tail } = splitPage(page);
  const template = items[0]?.html;
  if (template === undefined) throw new Error('the page has no #nowplaying items to model');
  const removed = new Map<string, { item: Item; index: number }>();
  const alsoUpcoming: string[] = [];
  const upcomingList = /<div id="upcoming"[\s\S]*?<ul class="lists">/.exec(tail);
  const renderTail = () => {
    if (alsoUpcoming.length === 0 || !upcomingList) return tail;
    const at = upcomingList.index + upcomingList[0].length;
    const copies = alsoUpcoming.map((id) => items.find((item) => item.id === id)?.html ?? '').join('');
    return tail.slice(0, at) + copies + tail.slice(at);
  };

  const indexOf = (id: string): number => {
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) throw new FakeDoubanError(404, `movie ${id} is not in #nowplaying`);
    return index;
  };
  const itemOf = (id: string): Item => items[indexOf(id)] as Item;

  return {
    render: () => head + items.map((item) => item.html).join('') + renderTail(),
    movieIds: () => items.map((item) => item.id),
    scoreOf: (id) => readItemScore(itemOf(id).html),
    votesOf: (id) => Number(readItemAttribute(itemOf(id).html, 'data-votecount') ?? 0),
    setScore({ id, score, votes }) {
      const item = itemOf(id);
      item.html = setItemScore({ html: item.html, score, votes });
    },
    addMovie({ id, title, score, votes, actors }) {
      if (items.some((item) => item.id === id)) {
        throw new FakeDoubanError(409, `movie ${id} is already in #nowplaying`);
      }
      removed.delete(id);
      const html = cloneItem({
        template,
        id,
        title,
        score,
        votes: votes ?? (score === null ? 0 : 1000),
        actors,
      });
      items.unshift({ id, html });
    },
    listAlsoUpcoming(id) {
      itemOf(id);
      if (!upcomingList) throw new FakeDoubanError(409, 'the page has no #upcoming list');
      if (!alsoUpcoming.includes(id)) alsoUpcoming.unshift(id);
    },
    removeMovie(id) {
      const index = indexOf(id);
      const [item] = items.splice(index, 1);
      if (item) removed.set(id, { item, index });
    },
    removedIds: () => [...removed.keys()],
    restoreMovie(id) {
      const entry = removed.get(id);
      if (!entry) throw new FakeDoubanError(404, `movie ${id} was not removed`);
      removed.delete(id);
      items.splice(Math.min(entry.index, items.length), 0, entry.item);
    },
  };
}

function splitPage(page: string): { head: string; items: Item[]; tail: string } {
  const sectionStart = page.indexOf('<div id="nowplaying"');
  const sectionEnd = page.indexOf('<div id="upcoming"', sectionStart);
  if (sectionStart < 0) throw new Error('the page has no <div id="nowplaying">');
  const limit = sectionEnd < 0 ? page.length : sectionEnd;

  const items: Item[] = [];
  const startTag = /<li\b[^>]*\sclass="list-item[^"]*"[^>]*>/g;
  startTag.lastIndex = sectionStart;
  let cursor = -1;
  let headEnd = -1;
  for (let match = startTag.exec(page); match && match.index < limit; match = startTag.exec(page)) {
    const end = findClosingLi(page, match.index);
    // The whitespace before an item belongs to it, so removing the item removes its line too.
    let begin = match.index;
    while (begin > 0 && /\s/.test(page[begin - 1] as string)) begin--;
    if (cursor < 0) headEnd = begin;
    else if (begin !== cursor) throw new Error('unexpected markup between #nowplaying items');
    const html = page.slice(begin, end);
    const id = readItemAttribute(html.trimStart(), 'id');
    if (id === null) throw new Error(`#nowplaying item at offset ${match.index} has no id`);
    items.push({ id, html });
    cursor = end;
    startTag.lastIndex = end;
  }
  if (cursor < 0) return { head: page, items, tail: '' };
  return { head: page.slice(0, headEnd), items, tail: page.slice(cursor) };
}

/** The offset just past the `</li>` that closes the `<li` at `start`, counting nested `<li>`s. */
function findClosingLi(page: string, start: number): number {
  const tag = /<li\b|<\/li>/g;
  tag.lastIndex = start;
  let depth = 0;
  for (let match = tag.exec(page); match; match = tag.exec(page)) {
    depth += match[0] === '</li>' ? -1 : 1;
    if (depth === 0) return match.index + match[0].length;
  }
  throw new Error(`unclosed <li> at offset ${start}`);
}
