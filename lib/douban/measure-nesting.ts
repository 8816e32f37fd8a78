import 'server-only';

// Elements that never hold content, so never nest (https://html.spec.whatwg.org/#void-elements).
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
// Their text is not markup (a `<div>` inside a script is not an element): skipped to their end tag.
const RAW_TEXT_END = new Map(
  ['script', 'style', 'textarea', 'title', 'noscript'].map((name) => [name, new RegExp(`</${name}`, 'ig')]),
);
// One tag, start or end; `[^>]*` cannot backtrack into itself, so the scan is linear in the page.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>|<!--/g;

/**
 * How deep the page's elements nest at most, counted in one linear pass over its tags: start tags
 * (not void, not self-closed) go one deeper, end tags one back. An unclosed tag counts as open to
 * the end, which is how a hostile page nests deeply in few bytes (`<div>` × 100,000 is 500 KB).
 * Comments and the text of scripts and styles are skipped.
 */
export function measureNesting(html: string): number {
  let depth = 0;
  let deepest = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    if (match[0] === '<!--') {
      const end = html.indexOf('-->', TAG.lastIndex);
      if (end === -1) break;
      TAG.lastIndex = end + 3;
      continue;
    }
    const [, closing, rawName, selfClosing] = match;
    const name = (rawName as string).toLowerCase();
    if (closing) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (VOID.has(name) || selfClosing) continue;
    depth += 1;
    if (depth > deepest) deepest = depth;
    const rawEnd = RAW_TEXT_END.get(name);
    if (rawEnd) {
      rawEnd.lastIndex = TAG.lastIndex;
      const end = rawEnd.exec(html);
      if (!end) break;
      TAG.lastIndex = end.index;
    }
  }
  return deepest;
}
