import { describe, expect, it } from 'vitest';
import { createEventLog } from './create-event-log';
import type { RelayedEvent } from './relay-message';

const update = (version: number): RelayedEvent => ({ name: 'update', data: `u${version}`, version });
const snapshot = (version: number): RelayedEvent => ({ name: 'snapshot', data: `s${version}`, version });
const status = (state: string): RelayedEvent => ({ name: 'status', data: state, version: null });

describe('createEventLog', () => {
  it('takes updates above the version held only, once each', () => {
    const log = createEventLog({ version: 10 });
    expect(log.take(update(10))).toBe(false);
    expect(log.take(update(11))).toBe(true);
    expect(log.take(update(11))).toBe(false);
    expect(log.take(update(13))).toBe(true);
    expect(log.take(update(12))).toBe(false);
    expect(log.version).toBe(13);
  });

  it('replaces everything on a snapshot, even one at or below the version held', () => {
    const log = createEventLog({ version: 10 });
    log.take(update(11));
    expect(log.take(snapshot(11))).toBe(true);
    expect(log.version).toBe(11);
    expect(log.catchUp(10)).toEqual([snapshot(11)]);
  });

  it('keeps the last status apart from the versions', () => {
    const log = createEventLog({ version: 10 });
    expect(log.take(status('live'))).toBe(true);
    expect(log.take(status('stale'))).toBe(true);
    expect(log.status).toEqual(status('stale'));
    expect(log.version).toBe(10);
  });

  it('catches up a tab from its version with the updates after it, or nothing when it is current or ahead', () => {
    const log = createEventLog({ version: 10 });
    for (const version of [11, 12, 13]) log.take(update(version));
    expect(log.catchUp(11)).toEqual([update(12), update(13)]);
    expect(log.catchUp(10)).toEqual([update(11), update(12), update(13)]);
    expect(log.catchUp(13)).toEqual([]);
    expect(log.catchUp(20)).toEqual([]);
  });

  it('sends a tab from before its start the board on screen and the updates after it', () => {
    const log = createEventLog({ version: 10 });
    for (const version of [11, 12]) log.take(update(version));
    expect(log.catchUp(9, () => snapshot(11))).toEqual([snapshot(11), update(12)]);
    expect(log.catchUp(null, () => snapshot(12))).toEqual([snapshot(12)]);
  });

  it('answers null (a gap) when neither its updates nor a board reach back to the tab', () => {
    const log = createEventLog({ version: 10 });
    log.take(update(11));
    expect(log.catchUp(9)).toBeNull();
    expect(log.catchUp(null)).toBeNull();
    // A board older than what the log holds cannot be completed by it either.
    expect(log.catchUp(9, () => snapshot(9))).toBeNull();
  });

  it('drops its oldest updates past the limit and then no longer reaches before them', () => {
    const log = createEventLog({ version: 10, limit: 2 });
    for (const version of [11, 12, 13, 14]) log.take(update(version));
    expect(log.catchUp(12)).toEqual([update(13), update(14)]);
    expect(log.catchUp(11)).toBeNull();
    expect(log.catchUp(11, () => snapshot(14))).toEqual([snapshot(14)]);
  });

  it('serves from the last snapshot it saw while every update after it is kept, and not once one is dropped', () => {
    const log = createEventLog({ version: null, limit: 2 });
    log.take(snapshot(20));
    log.take(update(21));
    expect(log.catchUp(null)).toEqual([snapshot(20), update(21)]);
    log.take(update(22));
    log.take(update(23));
    expect(log.catchUp(null)).toBeNull();
    expect(log.catchUp(21)).toEqual([update(22), update(23)]);
  });

  it('has nothing to send before it took anything: the stream starts with a snapshot every tab gets', () => {
    const log = createEventLog({ version: null });
    expect(log.catchUp(5)).toEqual([]);
    expect(log.catchUp(null)).toEqual([]);
  });
});
