import type { PageModel } from './page-model';

/** The cities whose pages drift during the demo. */
export const DRIFT_CITIES = ['shanghai', 'shangrao'] as const;

/**
 * Every `intervalMs`, nudges each drifting city's page the way a live Douban page moves: one or two
 * rated movies' scores go up or down by 0.1 while their vote counts grow, and about every fifth tick
 * a movie leaves the list or one that left comes back. The timer is unref'd so that it never keeps
 * the process alive. Returns a function that stops it.
 */
export function startDrift({
  intervalMs,
  modelOf,
  random = Math.random,
}: {
  intervalMs: number;
  modelOf: (city: string) => PageModel;
  random?: () => number;
}): () => void {
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    for (const city of DRIFT_CITIES) {
      driftPage({ model: modelOf(city), churn: tick % 5 === 0, random });
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** One drift step on one page; exported so tests can drive it without timers. */
export function driftPage({
  model,
  churn,
  random,
}: {
  model: PageModel;
  churn: boolean;
  random: () => number;
}): void {
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
  const rated = model.movieIds().filter((id) => model.scoreOf(id) !== null);
  const count = random() < 0.5 ? 1 : 2;
  for (const id of shuffle(rated, random).slice(0, count)) {
    const score = model.scoreOf(id) as number;
    const step = random() < 0.5 ? -0.1 : 0.1;
    // Stay rated and inside Douban's range; bounce off the ends.
    const next = score + step > 9.9 || score + step < 2 ? score - step : score + step;
    const votes = model.votesOf(id) + 1 + Math.floor(random() * 200);
    model.setScore({ id, score: Math.round(next * 10) / 10, votes });
  }
  if (!churn) return;
  const removed = model.removedIds();
  const ids = model.movieIds();
  // Bring one back half the time, or always when a few are already gone; never empty the list.
  if (removed.length > 0 && (random() < 0.5 || removed.length >= 3 || ids.length <= 1)) {
    const id = pick(removed);
    if (id !== undefined) model.restoreMovie(id);
  } else if (ids.length > 1) {
    const id = pick(ids);
    if (id !== undefined) model.removeMovie(id);
  }
}

function shuffle<T>(list: readonly T[], random: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
