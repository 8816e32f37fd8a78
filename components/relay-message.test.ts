import { describe, expect, it } from 'vitest';
import { parseRelayMessage } from './relay-message';

describe('parseRelayMessage', () => {
  it('takes each kind of message the tabs send', () => {
    const messages = [
      { kind: 'holder', tab: 'a' },
      { kind: 'hello', tab: 'b', hello: 2, version: 1_795_990_167_584 },
      { kind: 'hello', tab: 'b', hello: 3, version: null },
      {
        kind: 'catch-up',
        to: 'b',
        hello: 2,
        gap: false,
        events: [{ name: 'update', data: '{}', version: 1_795_990_167_585 }],
        status: { name: 'status', data: '{}', version: null },
        connection: 'open',
      },
      { kind: 'event', event: { name: 'snapshot', data: '{}', version: 7 } },
      { kind: 'connection', state: 'reconnecting' },
    ];
    for (const message of messages) expect(parseRelayMessage(message)).toEqual(message);
  });

  it('ignores what is not one of its messages: another kind, a bad field, an event of another name', () => {
    expect(parseRelayMessage({ kind: 'bye', tab: 'a' })).toBeNull();
    expect(parseRelayMessage({ kind: 'hello', tab: 'b', hello: 1, version: -1 })).toBeNull();
    expect(
      parseRelayMessage({ kind: 'event', event: { name: 'reconnect', data: '{}', version: null } }),
    ).toBeNull();
    expect(parseRelayMessage({ kind: 'connection', state: 'lost' })).toBeNull();
    expect(parseRelayMessage('holder')).toBeNull();
    expect(parseRelayMessage(null)).toBeNull();
  });
});
