import * as z from 'zod/mini';
import type { FollowEvent } from './detect-follow-events';

/** The most told events a browser remembers; the oldest are forgotten first. */
export const TOLD_MAX = 500;

/** localStorage `now-showing:told:v1`: what this browser told, by key, oldest first: [key, state, at]. */
export const toldEventsSchema = z.object({
  events: z
    .array(z.tuple([z.string().check(z.maxLength(200)), z.string().check(z.maxLength(50)), z.int()]))
    .check(z.maxLength(TOLD_MAX)),
});
export type ToldEvents = z.infer<typeof toldEventsSchema>;

export const NOTHING_TOLD: ToldEvents = { events: [] };

/**
 * Which of `events` are still to tell (their key was never told, or told with another state), and
 * the record with them added. Run it under one lock for every tab, so that two tabs given the same
 * update do not both tell it.
 */
export function claimEvents({
  told,
  events,
  now,
}: {
  told: ToldEvents;
  events: FollowEvent[];
  now: number;
}): {
  told: ToldEvents;
  fresh: FollowEvent[];
} {
  const last = new Map(told.events.map(([key, state]) => [key, state]));
  const fresh = events.filter((event) => {
    if (last.get(event.key) === event.state) return false;
    last.set(event.key, event.state);
    return true;
  });
  if (fresh.length === 0) return { told, fresh };
  const keys = new Set(fresh.map((event) => event.key));
  const kept = told.events.filter(([key]) => !keys.has(key));
  const added = fresh.map((event): [string, string, number] => [event.key, event.state, now]);
  return { told: { events: [...kept, ...added].slice(-TOLD_MAX) }, fresh };
}
