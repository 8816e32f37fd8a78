import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getSavedPage } from './get-saved-page';
import { parseNowPlaying } from './parse-now-playing';

const readFixture = (file: string) =>
  readFileSync(new URL(`../../fixtures/douban/${file}`, import.meta.url), 'utf8');

describe('getSavedPage', () => {
  it('returns the recorded Shanghai board, as parsed from the fixture (run npm run fixtures:build if not)', () => {
    expect(getSavedPage('shanghai')).toEqual({
      recordedAt: '2024-12-05T12:00:00+08:00',
      ...parseNowPlaying(readFixture('nowplaying-shanghai.html')),
    });
  });

  it('returns the recorded Shangrao board, as parsed from the fixture', () => {
    expect(getSavedPage('shangrao')).toEqual({
      recordedAt: '2018-08-25T12:00:00+08:00',
      ...parseNowPlaying(readFixture('nowplaying-shangrao-2018.html')),
    });
  });

  it('returns null for a city without a recording', () => {
    expect(getSavedPage('beijing')).toBeNull();
    expect(getSavedPage('')).toBeNull();
  });

  it('returns a copy, so a caller cannot change the next caller’s board', () => {
    const first = getSavedPage('shangrao');
    first?.nowPlaying.pop();
    if (first) first.upcoming[0].title = 'changed';
    expect(getSavedPage('shangrao')?.nowPlaying).toHaveLength(21);
    expect(getSavedPage('shangrao')?.upcoming[0].title).toBe('超大号美人');
  });
});
