import { describe, expect, it } from 'vitest';
import { parseStored } from './create-local-store';
import type { FollowEvent } from './detect-follow-events';
import { claimEvents, NOTHING_TOLD, TOLD_MAX, toldEventsSchema } from './told-events';

const event = (key: string, state: string): FollowEvent => ({ key, state, id: '1', text: key });

describe('claimEvents', () => {
  it('tells an event once: a second tab given the same update finds it told', () => {
    const first = claimEvents({ told: NOTHING_TOLD, events: [event('1:rated', 'rated')], now: 10 });
    expect(first.fresh.map((told) => told.key)).toEqual(['1:rated']);
    expect(first.told.events).toEqual([['1:rated', 'rated', 10]]);
    const second = claimEvents({ told: first.told, events: [event('1:rated', 'rated')], now: 11 });
    expect(second).toEqual({ told: first.told, fresh: [] });
  });

  it('tells a key again when its state changes (a threshold crossed back), once per batch', () => {
    const below = claimEvents({ told: NOTHING_TOLD, events: [event('1:threshold', 'below:8.0')], now: 1 });
    const again = claimEvents({
      told: below.told,
      events: [event('1:threshold', 'above:8.0'), event('1:threshold', 'above:8.0')],
      now: 2,
    });
    expect(again.fresh).toHaveLength(1);
    expect(again.told.events).toEqual([['1:threshold', 'above:8.0', 2]]);
  });

  it('remembers at most the newest events, and its record parses back', () => {
    let told = NOTHING_TOLD;
    for (let index = 0; index < TOLD_MAX + 5; index += 1) {
      told = claimEvents({ told, events: [event(`${index}:rated`, 'rated')], now: index }).told;
    }
    expect(told.events).toHaveLength(TOLD_MAX);
    expect(told.events[0]?.[0]).toBe('5:rated');
    expect(parseStored({ raw: JSON.stringify(told), schema: toldEventsSchema })).toEqual(told);
    expect(parseStored({ raw: '{"events": [["k", "s"]]}', schema: toldEventsSchema })).toBeNull();
  });
});
