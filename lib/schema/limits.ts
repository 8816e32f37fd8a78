/**
 * The caps of what a board holds, one set for every boundary: the parser trims or drops what goes
 * past them, and the bus and the browser refuse it. Generous for Douban (its longest title on record
 * is under 100 characters, its longest cast list under 30 names), tight enough that one lying page
 * cannot make a board or an event grow without bound.
 */
export const LIMITS = {
  /** Douban subject ids are 7–8 digits today; 20 still fits in a 64-bit integer. */
  idDigits: 20,
  titleChars: 500,
  /** Entries of `regions`, `directors` and `actors`. */
  listEntries: 100,
  /** Characters of one entry of those lists. */
  entryChars: 200,
  /** Any other text: URLs, duration, release date, times, reasons. */
  textChars: 2_000,
  /** Movies of one board, both lists together; so also the most an update adds, updates or removes. */
  boardMovies: 1_000,
} as const;
