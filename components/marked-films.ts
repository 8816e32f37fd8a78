/**
 * The films the viewer marked in this browser (ids), which the `mine` filter keeps. They live only in
 * the browser (localStorage), so the server, rendering the first paint, cannot know them.
 */
export interface MarkedFilms {
  followed: ReadonlySet<string>;
  wish: ReadonlySet<string>;
  seen: ReadonlySet<string>;
}

/** Nothing marked: a browser whose marks are not (yet) wired in, or a viewer who marked nothing. */
export const NO_MARKED_FILMS: MarkedFilms = { followed: new Set(), wish: new Set(), seen: new Set() };
