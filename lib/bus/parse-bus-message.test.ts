import { describe, expect, it } from 'vitest';
import type { BusMessage } from './bus';
import { BadBusMessage, parseBusMessage, parsePayload } from './parse-bus-message';

const update = {
  city: 'shanghai',
  version: 1795600000002,
  fetchedAt: '2026-11-25T10:00:00.000Z',
  added: [],
  updated: [
    {
      id: '36154853',
      category: 'nowplaying',
      title: '好东西',
      score: 9.2,
      votes: 502600,
      stars: 45,
      year: 2024,
      duration: '123分钟',
      regions: ['中国大陆'],
      directors: ['邵艺辉'],
      actors: ['宋佳'],
      posterUrl: null,
      url: 'https://movie.douban.com/subject/36154853/',
      ticketUrl: null,
      releaseDate: null,
      wish: null,
    },
  ],
  removed: ['1292052'],
};
const message: BusMessage = {
  city: 'shanghai',
  name: 'update',
  version: 1795600000002,
  previous: 1795600000001,
  data: JSON.stringify(update),
};

describe('parseBusMessage', () => {
  it('reads back what publish writes', () => {
    expect(parseBusMessage(JSON.stringify(message))).toEqual(message);
  });

  it.each([
    ['not JSON', 'not json'],
    ['a JSON array', '[]'],
    ['a bare city', '{"city":"x"}'],
    ['an unknown event name', JSON.stringify({ ...message, name: 'drop-table' })],
    ['a bad city', JSON.stringify({ ...message, city: '../etc' })],
    ['a negative version', JSON.stringify({ ...message, version: -1 })],
    ['a huge version', JSON.stringify({ ...message, version: 1e300 })],
    ['a version as a string', JSON.stringify({ ...message, version: '5' })],
    ['a status with a version', JSON.stringify({ ...message, name: 'status' })],
    ['data that is not a string', JSON.stringify({ ...message, data: {} })],
  ])('refuses %s', (_, raw) => {
    expect(() => parseBusMessage(raw)).toThrow(BadBusMessage);
  });
});

describe('parsePayload', () => {
  it('checks an update against its envelope and returns it typed', () => {
    expect(parsePayload(message)).toEqual({ name: 'update', payload: update });
  });

  it.each([
    ['of another city', { ...update, city: 'beijing' }],
    ['of another version', { ...update, version: 5 }],
    ['with a movie without a title', { ...update, added: [{ ...update.updated[0], title: '' }] }],
    ['with a movie whose id is not digits', { ...update, added: [{ ...update.updated[0], id: 'x1' }] }],
    ['with a score that is not a number', { ...update, updated: [{ ...update.updated[0], score: '9' }] }],
    ['with removed ids that are not ids', { ...update, removed: [1] }],
    ['with an id of 22 digits', { ...update, added: [{ ...update.updated[0], id: '1'.repeat(22) }] }],
    ['with 101 actors', { ...update, added: [{ ...update.updated[0], actors: Array(101).fill('宋佳') }] }],
  ])('refuses an update %s', (_, payload) => {
    expect(() => parsePayload({ ...message, data: JSON.stringify(payload) })).toThrow(BadBusMessage);
  });

  it('accepts a status and refuses one in an unknown state', () => {
    const status = { city: 'shanghai', state: 'stale', since: 'x', reason: 'http-403', lastSuccessAt: null };
    const envelope: BusMessage = {
      city: 'shanghai',
      name: 'status',
      version: null,
      previous: null,
      data: '',
    };
    expect(parsePayload({ ...envelope, data: JSON.stringify(status) }).name).toBe('status');
    expect(() =>
      parsePayload({ ...envelope, data: JSON.stringify({ ...status, state: 'on-fire' }) }),
    ).toThrow(BadBusMessage);
    // Degraded is one instance's own view of the store; no instance publishes it.
    expect(() =>
      parsePayload({ ...envelope, data: JSON.stringify({ ...status, state: 'degraded' }) }),
    ).toThrow(BadBusMessage);
  });
});
