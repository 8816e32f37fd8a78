import 'server-only';
import type { Movie } from '@/lib/types';
import shanghai from './saved/shanghai.json';
import shangrao from './saved/shangrao.json';

/** A board recorded from Douban, bundled with the app for when Douban cannot be reached. */
export interface SavedPage {
  /** ISO time the page was recorded, e.g. "2024-12-05T12:00:00+08:00". */
  recordedAt: string;
  nowPlaying: Movie[];
  upcoming: Movie[];
}

// Static imports, not file reads: Next bundles them, and a serverless deployment has no fixtures folder.
// The files are written by `npm run fixtures:build` from parseNowPlaying, so they hold Movie values;
// JSON imports only type `category` as string, hence the assertion.
const savedPages = new Map<string, SavedPage>([
  ['shanghai', shanghai as SavedPage],
  ['shangrao', shangrao as SavedPage],
]);

/**
 * The recorded board of `city` (a slug: `shanghai` or `shangrao`), or `null` when none was recorded.
 * Each call returns a fresh copy, so callers may change it freely.
 */
export function getSavedPage(city: string): SavedPage | null {
  const page = savedPages.get(city);
  if (!page) return null;
  return structuredClone({
    recordedAt: page.recordedAt,
    nowPlaying: page.nowPlaying,
    upcoming: page.upcoming,
  });
}
