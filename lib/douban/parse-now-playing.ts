import 'server-only';
import { type HTMLElement, parse } from 'node-html-parser';
import type { Metrics } from '@/lib/metrics/metrics';
import { LIMITS } from '@/lib/schema/limits';
import { movieIdSchema, movieSchema } from '@/lib/schema/movie';
import { nowPlayingPageSchema } from '@/lib/schema/now-playing-page';
import type { Movie, MovieCategory, NowPlayingPage } from '@/lib/types';
import { trimMovie } from './trim-movie';
import { UpstreamError } from './upstream-error';

// We never read scripts or styles, so the parser need not keep their text.
const PARSE_OPTIONS = { blockTextElements: { script: false, noscript: false, style: false, pre: true } };

/** A complete page ends with `</html>`; allow for a trailing comment or whitespace after it. */
const TAIL_LENGTH = 4096;

const DIGITS = /^\d+$/;
const LATIN_WORD = /^[\p{Script=Latin}\p{M}\d.'’-]+$/u;

/** Why an item of the page is left out, as counted in `nowshowing_parser_items_dropped_total`. */
type DropReason = 'bad-id' | 'no-title' | 'duplicate' | 'in-both-lists' | 'too-many-movies' | 'invalid';

/** Where the parser counts what it drops and cuts (the process's metrics; none in scripts). */
export type ParserCounters = Pick<Metrics, 'parserItemsDropped' | 'parserFieldsTrimmed'>;

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
 * @throws {UpstreamError} `not-a-nowplaying-page` when there is no `#nowplaying` (e.g. the anti-bot
 *   page), `truncated-page` when the body lacks its closing `</html>` or `#upcoming`, `empty-page` when
 *   `#nowplaying` has no usable item.
 */
export function parseNowPlaying(
  html: string,
  { counters = null }: { counters?: ParserCounters | null } = {},
): NowPlayingPage {
  const root = parse(html, PARSE_OPTIONS);
  const nowPlayingSection = root.getElementById('nowplaying');
  if (!nowPlayingSection) {
    const title = collapse(root.querySelector('title')?.text)?.slice(0, 80) ?? 'none';
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

function parseItem(item: HTMLElement, category: MovieCategory): Movie | DropReason {
  const attr = (name: string) => item.getAttribute(name) ?? '';
  const id = [attr('id').trim(), attr('data-subject').trim()].find(
    (value) => movieIdSchema.safeParse(value).success,
  );
  if (!id) return 'bad-id';
  const title =
    collapse(attr('data-title')) ?? collapse(item.querySelector('li.stitle a')?.getAttribute('title'));
  if (!title) return 'no-title';

  const upcoming = category === 'upcoming';
  const score = upcoming ? null : parseScore({ score: attr('data-score'), enough: attr('data-enough') });
  return {
    id,
    category,
    title,
    score,
    votes: upcoming ? null : parseCount(attr('data-votecount')),
    stars: score === null ? null : parseStars(attr('data-star')),
    year: parseYear(attr('data-release')),
    duration: collapse(attr('data-duration')),
    regions: splitWords(attr('data-region')),
    directors: splitDirectors(attr('data-director')),
    actors: attr('data-actors')
      .split(/\s+\/\s+/)
      .map((name) => name.trim())
      .filter(Boolean),
    posterUrl: parseHttpUrl(item.querySelector('li.poster img')?.getAttribute('src')),
    url: `https://movie.douban.com/subject/${id}/`,
    ticketUrl: parseHttpUrl(item.querySelector('li.sbtn a.ticket-btn')?.getAttribute('href')),
    releaseDate: upcoming ? collapse(item.querySelector('li.release-date')?.text) : null,
    wish: upcoming ? parseCount(attr('data-wish')) : null,
  };
}

/** Douban writes `data-score="0"` with `data-enough="False"` for too few ratings: that is no score. */
function parseScore({ score, enough }: { score: string; enough: string }): number | null {
  if (enough.trim().toLowerCase() !== 'true' || !/^\d{1,2}(\.\d+)?$/.test(score.trim())) return null;
  const value = Math.round(Number(score) * 10) / 10;
  return value > 0 && value <= 10 ? value : null;
}

function parseStars(value: string): number | null {
  const stars = DIGITS.test(value.trim()) ? Number(value) : Number.NaN;
  return stars >= 0 && stars <= 50 && stars % 5 === 0 ? stars : null;
}

function parseCount(value: string): number | null {
  const count = DIGITS.test(value.trim()) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(count) ? count : null;
}

function parseYear(value: string): number | null {
  // "0000" is no year; the schema wants 1000–9999.
  return /^[1-9]\d{3}$/.test(value.trim()) ? Number(value) : null;
}

/** Resolves like a browser on Douban's page would, and keeps only http(s) links (no `javascript:`). */
function parseHttpUrl(value: string | undefined): string | null {
  if (!value?.trim()) return null;
  try {
    const url = new URL(value.trim(), 'https://movie.douban.com/');
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function collapse(value: string | undefined): string | null {
  return value?.replace(/\s+/g, ' ').trim() || null;
}

function splitWords(value: string): string[] {
  return value.split(/\s+/).filter(Boolean);
}

/**
 * Douban separates directors with spaces, but untranslated Latin names contain spaces themselves
 * ("Julio Soto Gurpide" is one person), so a run of Latin-script words stays one name. Two Latin names
 * in a row cannot be told apart ("Charles Guard Tom Guard") and stay together too.
 */
function splitDirectors(value: string): string[] {
  const names: string[] = [];
  let inLatinRun = false;
  for (const word of splitWords(value)) {
    const latin = LATIN_WORD.test(word);
    if (latin && inLatinRun) names[names.length - 1] += ` ${word}`;
    else names.push(word);
    inLatinRun = latin;
  }
  return names;
}
