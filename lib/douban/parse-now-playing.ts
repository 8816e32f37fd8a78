import 'server-only';
import { type HTMLElement, parse } from 'node-html-parser';
import { LIMITS } from '@/lib/schema/limits';
import { movieSchema } from '@/lib/schema/movie';
import { nowPlayingPageSchema } from '@/lib/schema/now-playing-page';
import type { Movie, MovieCategory, NowPlayingPage } from '@/lib/types';
import { measureNesting } from './measure-nesting';
import { parseItem } from './parse-item';
import { type TrimmedField, trimMovie } from './trim-movie';
import { UpstreamError } from './upstream-error';

// We never read scripts or styles, so the parser need not keep their text.
const PARSE_OPTIONS = { blockTextElements: { script: false, noscript: false, style: false, pre: true } };

/**
 * Douban's pages nest 15 elements deep at most. The HTML parser's time grows with the square of the
 * nesting (20,000 unclosed `<div>`s: 6 s; 100,000: 4 minutes, all on the event loop), so a page
 * nested deeper than this is refused before it is parsed.
 */
const MAX_NESTING = 200;

/** A complete page ends with `</html>`; allow for a trailing comment or whitespace after it. */
const TAIL_LENGTH = 4096;

/** Why an item of the page is left out, as counted in `nowshowing_parser_items_dropped_total`. */
export type DropReason =
  | 'bad-id'
  | 'no-title'
  | 'duplicate'
  | 'in-both-lists'
  | 'too-many-movies'
  | 'invalid';

/**
 * Where the parser counts what it drops and cuts: the process's metrics (prom-client counters fit),
 * a tally a worker thread sends back (`parsePage`), or none in scripts.
 */
export interface ParserCounters {
  parserItemsDropped: { inc(labels: { reason: DropReason }): void };
  parserFieldsTrimmed: { inc(labels: { field: TrimmedField }): void };
}

/**
 * Parses Douban's desktop now-showing page (`/cinema/nowplaying/{city}/`) into its two lists, in page
 * order. Hidden items (`list-item hidden`, shown by "more" on the page) are included. Numbers that do
 * not parse become `null`; `url` is always `https://movie.douban.com/subject/{id}/`.
 *
 * What it returns always fits `nowPlayingPageSchema` (lib/schema/), the schema the bus and the browser
 * check, so nothing it returns can be refused further down: text and lists past their cap are cut
 * (`trimMovie`), and an item is left out, and counted by reason, when it has no id of 1 to 20 digits
 * or no title, repeats an id of its list, is also listed in 正在上映 (upcoming keeps it there only),
 * or comes after the first 1,000 movies.
 *
 * Linear in the page: a page up to the 5 MB cap parses in about half a second at most on this machine
 * (the hostile pages of parse-now-playing.hostile.test.ts), whatever its attributes or whitespace.
 *
 * @throws {UpstreamError} `too-deep` when elements nest more than 200 deep (see `MAX_NESTING`),
 *   `not-a-nowplaying-page` when there is no `#nowplaying` (e.g. the anti-bot
 *   page), `truncated-page` when the body lacks its closing `</html>` or `#upcoming`, `empty-page` when
 *   `#nowplaying` has no usable item.
 */
export function parseNowPlaying(
  html: string,
  { counters = null }: { counters?: ParserCounters | null } = {},
): NowPlayingPage {
  const depth = measureNesting(html);
  if (depth > MAX_NESTING) {
    throw new UpstreamError({
      reason: 'too-deep',
      message: `Douban's page nests ${depth} elements deep (a now-showing page: about 15).`,
    });
  }
  const root = parse(html, PARSE_OPTIONS);
  const nowPlayingSection = root.getElementById('nowplaying');
  if (!nowPlayingSection) {
    const title = root.querySelector('title')?.text.replace(/\s+/g, ' ').trim().slice(0, 80) || 'none';
    throw new UpstreamError({
      reason: 'not-a-nowplaying-page',
      message: `Douban's answer has no #nowplaying list (page title: ${JSON.stringify(title)}).`,
    });
  }
  // A connection cut mid-body still parses; the closing tag is the only sign we got everything.
  if (!html.slice(-TAIL_LENGTH).toLowerCase().includes('</html>')) {
    throw new UpstreamError({
      reason: 'truncated-page',
      message: `Douban's now-showing page ends without </html> after ${html.length} characters.`,
    });
  }
  const upcomingSection = root.getElementById('upcoming');
  if (!upcomingSection) {
    throw new UpstreamError({
      reason: 'truncated-page',
      message: "Douban's now-showing page has no #upcoming list.",
    });
  }
  // The id is the key for diffs and React; an id listed twice would make both ambiguous.
  const seen = new Map<string, MovieCategory>();
  const nowPlaying = parseList({ section: nowPlayingSection, category: 'nowplaying', seen, counters });
  if (nowPlaying.length === 0) {
    throw new UpstreamError({ reason: 'empty-page', message: "Douban's now-showing page lists no movies." });
  }
  const upcoming = parseList({ section: upcomingSection, category: 'upcoming', seen, counters });
  // Cannot fail: every movie passed the schema and the lists are capped; a failure is our bug.
  return nowPlayingPageSchema.parse({ nowPlaying, upcoming });
}

/** Queries from the section, not the root: four times faster on the Shanghai page. */
function parseList({
  section,
  category,
  seen,
  counters,
}: {
  section: HTMLElement;
  category: MovieCategory;
  seen: Map<string, MovieCategory>;
  counters: ParserCounters | null;
}): Movie[] {
  const drop = (reason: DropReason) => counters?.parserItemsDropped.inc({ reason });
  const movies: Movie[] = [];
  for (const item of section.querySelectorAll('.lists > li.list-item')) {
    const parsed = parseItem(item, category);
    if (typeof parsed === 'string') {
      drop(parsed);
      continue;
    }
    const listed = seen.get(parsed.id);
    if (listed !== undefined) {
      drop(listed === category ? 'duplicate' : 'in-both-lists');
      continue;
    }
    if (seen.size >= LIMITS.boardMovies) {
      drop('too-many-movies');
      continue;
    }
    const movie = movieSchema.safeParse(
      trimMovie(parsed, (field) => counters?.parserFieldsTrimmed.inc({ field })),
    );
    if (!movie.success) {
      drop('invalid');
      continue;
    }
    seen.set(movie.data.id, category);
    movies.push(movie.data);
  }
  return movies;
}
