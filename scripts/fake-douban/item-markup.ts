// String edits on one `#nowplaying` item (`<li id="…" class="list-item" …>…</li>`) of Douban's page.
// This is a test double: regexes are fine here because the input is our own recordings, whose start
// tags may wrap over several lines or put one attribute per line, and the output must keep that shape.

const UNRATED_TIP = '<span class="text-tip">暂无评分</span>';

/** Douban's `allstarNN` level for a score: half stars, rounded the way the recordings show. */
export function starsFor(score: number | null): string {
  if (score === null) return '00';
  const halfStars = Math.max(0, Math.min(10, Math.floor(score + 0.8)));
  return String(halfStars * 5).padStart(2, '0');
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The value of an attribute of the item's start tag, as written (still entity-escaped). */
export function readItemAttribute(html: string, name: string): string | null {
  const startTag = html.slice(0, html.indexOf('>') + 1);
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(startTag);
  return match ? (match[1] ?? null) : null;
}

/** The item's score, or null when Douban shows 暂无评分 (too few ratings). */
export function readItemScore(html: string): number | null {
  if (readItemAttribute(html, 'data-enough') !== 'True') return null;
  const score = Number(readItemAttribute(html, 'data-score'));
  return Number.isFinite(score) && score > 0 ? score : null;
}

/**
 * Sets the score everywhere the item shows it: `data-score`, `data-star`, `data-enough`, the
 * `allstarNN` class and the `span.subject-rate` text (or Douban's 暂无评分 tip when `score` is null),
 * and `data-votecount` when `votes` is given.
 */
export function setItemScore({
  html,
  score,
  votes,
}: {
  html: string;
  score: number | null;
  votes?: number;
}): string {
  const stars = starsFor(score);
  let next = setStartTagAttribute(html, 'data-score', score === null ? '0' : score.toFixed(1));
  next = setStartTagAttribute(next, 'data-star', stars);
  next = setStartTagAttribute(next, 'data-enough', score === null ? 'False' : 'True');
  if (votes !== undefined) next = setStartTagAttribute(next, 'data-votecount', String(votes));
  return next.replace(
    /(<li class="srating">)([\s\S]*?)(<\/li>)/,
    (_all, open: string, body: string, close: string) => open + rewriteRating(body, score, stars) + close,
  );
}

function rewriteRating(body: string, score: number | null, stars: string): string {
  const rated = /<span class="rating-star allstar\d+"><\/span>(\s*)<span class="subject-rate">[^<]*<\/span>/;
  if (score === null) return body.replace(rated, UNRATED_TIP);
  const spans = (gap: string) =>
    `<span class="rating-star allstar${stars}"></span>${gap}<span class="subject-rate">${score.toFixed(1)}</span>`;
  if (rated.test(body)) return body.replace(rated, (_all, gap: string) => spans(gap));
  // From unrated to rated: the two spans go where the tip was, at the tip's indentation.
  const indent = /([ \t]*)<span class="text-tip">/.exec(body)?.[1] ?? '';
  return body.replace(UNRATED_TIP, spans(`\n${indent}`));
}

/**
 * A new, visible item made from `template`: new id (in `id`, `data-subject` and the subject and
 * ticket URLs), title (`data-title`, `title`, `alt` and the link text), score and vote count. The
 * rest (poster, director, duration…) stays the template's.
 */
export function cloneItem({
  template,
  id,
  title,
  score,
  votes,
  actors,
}: {
  template: string;
  id: string;
  title: string;
  score: number | null;
  votes: number;
  /** Replaces the template's cast when given. */
  actors?: string[];
}): string {
  const oldId = readItemAttribute(template, 'id');
  if (oldId === null) throw new Error('template item has no id');
  const safeTitle = escapeHtml(title);
  let html = template
    .replace(`id="${oldId}"`, `id="${id}"`)
    .replace(`data-subject="${oldId}"`, `data-subject="${id}"`)
    .replaceAll(`/subject/${oldId}/`, `/subject/${id}/`)
    .replaceAll(`movie_id=${oldId}"`, `movie_id=${id}"`)
    .replace(/class="list-item[^"]*"/, 'class="list-item"');
  html = setStartTagAttribute(html, 'data-title', safeTitle)
    .replace(/(\s)title="[^"]*"/g, (_all, space: string) => `${space}title="${safeTitle}"`)
    .replace(/(\s)alt="[^"]*"/g, (_all, space: string) => `${space}alt="${safeTitle}"`)
    .replace(
      /(<li class="stitle">\s*<a\b[^>]*>\s*)[^<]*?(\s*<\/a>)/,
      (_all, before: string, after: string) => before + safeTitle + after,
    );
  if (actors) html = setStartTagAttribute(html, 'data-actors', actors.map(escapeHtml).join(' / '));
  return setItemScore({ html, score, votes });
}

function setStartTagAttribute(html: string, name: string, value: string): string {
  const end = html.indexOf('>') + 1;
  const pattern = new RegExp(`(\\s${name}=)"[^"]*"`);
  const startTag = html.slice(0, end);
  if (!pattern.test(startTag)) throw new Error(`item has no ${name} attribute`);
  return startTag.replace(pattern, (_all, prefix: string) => `${prefix}"${value}"`) + html.slice(end);
}
