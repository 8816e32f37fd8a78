import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { encodeComment, encodeEvent, encodeRetry } from './encode-event';

const decoder = new TextDecoder();

/** Feeds bytes to a WHATWG-conformant parser and returns what a browser's EventSource would see. */
function interpret(...chunks: Uint8Array[]) {
  const events: EventSourceMessage[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onRetry: (ms) => retries.push(ms),
    onComment: (comment) => comments.push(comment),
  });
  for (const chunk of chunks) parser.feed(decoder.decode(chunk));
  return { events, retries, comments };
}

describe('encodeEvent', () => {
  it('writes event, id and data fields and ends the block with a blank line', () => {
    const bytes = encodeEvent({ event: 'update', id: 42, data: '{"a":1}' });
    expect(decoder.decode(bytes)).toBe('event: update\nid: 42\ndata: {"a":1}\n\n');
    expect(interpret(bytes).events).toEqual([{ event: 'update', id: '42', data: '{"a":1}' }]);
  });

  it('splits multi-line data into one data field per line, whatever the line ending', () => {
    const bytes = encodeEvent({ data: 'one\ntwo\r\nthree\rfour' });
    expect(decoder.decode(bytes)).toBe('data: one\ndata: two\ndata: three\ndata: four\n\n');
    expect(interpret(bytes).events[0]?.data).toBe('one\ntwo\nthree\nfour');
  });

  it('keeps leading spaces and colons of data intact', () => {
    const bytes = encodeEvent({ data: ' padded: yes' });
    expect(interpret(bytes).events[0]?.data).toBe(' padded: yes');
  });

  it('keeps an empty data line as an event with empty data', () => {
    expect(interpret(encodeEvent({ event: 'ping', data: '' })).events).toEqual([
      { event: 'ping', id: undefined, data: '' },
    ]);
  });

  it('encodes non-ASCII text as UTF-8', () => {
    const bytes = encodeEvent({ data: '好东西 ★' });
    expect(interpret(bytes).events[0]?.data).toBe('好东西 ★');
  });

  it('refuses ids and event names that would break the framing', () => {
    expect(() => encodeEvent({ id: '1\n2', data: 'x' })).toThrow(RangeError);
    expect(() => encodeEvent({ id: '1\u00002', data: 'x' })).toThrow(RangeError);
    expect(() => encodeEvent({ event: 'a\rb', data: 'x' })).toThrow(RangeError);
  });

  it('dispatches consecutive blocks as separate events', () => {
    const { events } = interpret(encodeEvent({ id: 1, data: 'a' }), encodeEvent({ id: 2, data: 'b' }));
    expect(events.map((event) => [event.id, event.data])).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
  });
});

describe('encodeComment', () => {
  it('writes a comment that dispatches no event', () => {
    const bytes = encodeComment('heartbeat');
    expect(decoder.decode(bytes)).toBe(': heartbeat\n\n');
    expect(interpret(bytes)).toEqual({ events: [], retries: [], comments: ['heartbeat'] });
  });

  it('prefixes every line so a line break cannot smuggle in a field', () => {
    const bytes = encodeComment('a\ndata: injected');
    expect(interpret(bytes).events).toEqual([]);
  });

  it('writes a bare colon for an empty comment', () => {
    expect(decoder.decode(encodeComment())).toBe(':\n\n');
  });
});

describe('encodeRetry', () => {
  it('sets the reconnection time without dispatching an event', () => {
    expect(interpret(encodeRetry(3000))).toEqual({ events: [], retries: [3000], comments: [] });
  });

  it('rejects values EventSource would ignore', () => {
    expect(() => encodeRetry(-1)).toThrow(RangeError);
    expect(() => encodeRetry(1.5)).toThrow(RangeError);
  });
});
