import { FakeDoubanError } from './fake-douban-error';
import { FAKE_MODES, type FakeMode } from './types';

// Commands arrive as JSON from other processes, so every field is checked before it touches a page.

export function readCity(value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z0-9]{1,40}$/.test(value)) {
    throw new FakeDoubanError(400, `city must be a Douban city slug such as "shanghai", got ${show(value)}`);
  }
  return value;
}

/** Up to 30 digits: longer than the app's cap of 20, so a test can send an id it must drop. */
export function readId(value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9]{1,30}$/.test(value)) {
    throw new FakeDoubanError(400, `id must be a string of digits, got ${show(value)}`);
  }
  return value;
}

/** Up to 1,000 characters: longer than the app's cap of 500, so a test can send one it must cut. */
export function readTitle(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 1_000) {
    throw new FakeDoubanError(400, `title must be a non-empty string of at most 1000 characters`);
  }
  return value.trim();
}

/** A score as Douban prints it: 0.1–10 with one decimal, or null for "too few ratings". */
export function readScore(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0.1 || value > 10) {
    throw new FakeDoubanError(400, `score must be null or a number from 0.1 to 10, got ${show(value)}`);
  }
  return Math.round(value * 10) / 10;
}

export function readVotes(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FakeDoubanError(400, `votes must be a whole number ≥ 0, got ${show(value)}`);
  }
  return value;
}

/** Up to 300 names of up to 100 characters: more than the app's cap of 100 names. */
export function readActors(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const names = Array.isArray(value) ? value : [];
  if (
    !Array.isArray(value) ||
    names.length > 300 ||
    !names.every((name) => typeof name === 'string' && /^[^/]{1,100}$/.test(name.trim()))
  ) {
    throw new FakeDoubanError(400, 'actors must be at most 300 names of 1 to 100 characters without "/"');
  }
  return names.map((name: string) => name.trim());
}

/** A delay of page answers, in milliseconds: a whole number from 0 to 60,000. */
export function readDelay(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 60_000) {
    throw new FakeDoubanError(400, `ms must be a whole number from 0 to 60000, got ${show(value)}`);
  }
  return value;
}

export function readMode(value: unknown): FakeMode {
  if (typeof value !== 'string' || !(FAKE_MODES as readonly string[]).includes(value)) {
    throw new FakeDoubanError(400, `mode must be one of ${FAKE_MODES.join(', ')}, got ${show(value)}`);
  }
  return value as FakeMode;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
