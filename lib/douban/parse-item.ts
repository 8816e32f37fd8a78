import 'server-only';
import type { HTMLElement } from 'node-html-parser';
import { movieIdSchema } from '@/lib/schema/movie';
import type { Movie, MovieCategory } from '@/lib/types';

const DIGITS = /^\d+$/;
const LATIN_WORD = /^[\p{Script=Latin}\p{M}\d.'’-]+$/u;

/**
 * One `li.list-item` of Douban's now-showing page as a movie, its fields as Douban's attributes give
 * them (uncapped: the caller fits them), or why it is not one: no id of 1 to 20 digits, or no title.
 * Numbers that do not parse become `null`; `url` is always `https://movie.douban.com/subject/{id}/`.
 */
export function parseItem(item: HTMLElement, category: MovieCategory): Movie | 'bad-id' | 'no-title' {
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
    actors: splitActors(attr('data-actors')),
    posterUrl: parseHttpUrl(item.querySelector('li.poster img')?.getAttribute('src')),
    url: `https://movie.douban.com/subject/${id}/`,
    ticketUrl: parseTicketUrl(item.querySelector('li.sbtn a.ticket-btn')?.getAttribute('href')),
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

/** Where Douban's ticket redirector is known to send buyers (its `url` parameter). */
const TICKET_PARTNERS = /^(?:[a-z0-9-]+\.)*(?:maoyan\.com|douban\.com)$/;

/**
 * 选座购票 links only where Douban's pages send them: Douban's own pages (its ticket redirector, a
 * film's cinema page) over https, and, when the redirector names its target (`?url=`), only a
 * ticket partner Douban is known to use (Maoyan). Anything else is no link rather than a
 * hostile page's phishing link on our card.
 */
function parseTicketUrl(value: string | undefined): string | null {
  const href = parseHttpUrl(value);
  if (!href) return null;
  const url = new URL(href);
  if (url.protocol !== 'https:' || url.host !== 'movie.douban.com') return null;
  const target = url.searchParams.get('url');
  if (target === null) return href;
  try {
    const partner = new URL(target);
    return partner.protocol === 'https:' && TICKET_PARTNERS.test(partner.hostname) ? href : null;
  } catch {
    return null;
  }
}

function collapse(value: string | undefined): string | null {
  return value?.replace(/\s+/g, ' ').trim() || null;
}

/**
 * Douban separates actors with ` / `; a slash without space on both sides is part of a name
 * ("AC/DC"). One pass over the slashes: a regular expression such as `\s+\/\s+` backtracks over
 * every run of spaces without a slash, which is quadratic (a hostile megabyte of spaces: minutes).
 */
function splitActors(value: string): string[] {
  const names: string[] = [];
  let start = 0;
  for (let slash = value.indexOf('/'); slash !== -1; slash = value.indexOf('/', slash + 1)) {
    if (isSpace(value[slash - 1]) && isSpace(value[slash + 1])) {
      names.push(value.slice(start, slash));
      start = slash + 1;
    }
  }
  names.push(value.slice(start));
  return names.map((name) => name.trim()).filter(Boolean);
}

function isSpace(character: string | undefined): boolean {
  return character !== undefined && character.trim() === '';
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
