import { describe, expect, it } from 'vitest';
import { readClientIp } from '@/lib/net/read-client-ip';

describe('readClientIp', () => {
  describe('on the production server, which knows the socket', () => {
    it.each([
      ['no header: the socket', null, 0, '203.0.113.9'],
      ['a spoofed header with TRUST_PROXY=0: ignored', '198.51.100.1', 0, '203.0.113.9'],
      ['one trusted hop: the entry the proxy appended', '1.1.1.1, 198.51.100.7', 1, '198.51.100.7'],
      [
        'two trusted hops: the entry before the nearest proxy',
        '1.1.1.1, 198.51.100.7, 10.0.0.2',
        2,
        '198.51.100.7',
      ],
      ['more hops than entries: the leftmost entry', '198.51.100.7', 3, '198.51.100.7'],
      ['an IPv6 entry, lower-cased', '2001:DB8::7', 1, '2001:db8::7'],
      ['an IPv4-mapped IPv6 entry, as IPv4', '::ffff:198.51.100.7', 1, '198.51.100.7'],
      ['an IPv4 entry with a port', '198.51.100.7:51234', 1, '198.51.100.7'],
      ['a bracketed IPv6 entry with a port', '[2001:db8::7]:443', 1, '2001:db8::7'],
      ['spaces and empty entries around it', ' , 198.51.100.7 ,, ', 1, '198.51.100.7'],
      ['a trusted entry that is garbage: the socket, not no limit', 'unknown', 1, '203.0.113.9'],
      ['a trusted entry that is a host name: the socket', 'evil.example', 1, '203.0.113.9'],
      ['a trusted entry with leading zeros: the socket', '010.0.0.1', 1, '203.0.113.9'],
    ])('%s', (_, forwardedFor, trustProxy, expected) => {
      expect(readClientIp({ socket: '203.0.113.9', forwardedFor, trustProxy })).toBe(expected);
    });

    it('reads an IPv4-mapped socket address as IPv4', () => {
      expect(readClientIp({ socket: '::ffff:127.0.0.1', forwardedFor: null, trustProxy: 0 })).toBe(
        '127.0.0.1',
      );
    });

    it('returns null when not even the socket is an address', () => {
      expect(readClientIp({ socket: 'garbage', forwardedFor: 'also garbage', trustProxy: 1 })).toBeNull();
    });
  });

  describe('in a route handler, where Next put the socket last in the header', () => {
    it.each([
      ['no header at all: null', null, 0, null],
      ['TRUST_PROXY=0: the last entry (Next’s socket address)', '198.51.100.7', 0, '198.51.100.7'],
      ['TRUST_PROXY=1: still the last entry', '1.1.1.1, 198.51.100.7', 1, '198.51.100.7'],
      ['TRUST_PROXY=2: the entry before the last', '1.1.1.1, 198.51.100.7, 10.0.0.2', 2, '198.51.100.7'],
      ['an IPv6 entry', '2001:db8::7', 0, '2001:db8::7'],
      ['a last entry that is garbage: null', '198.51.100.7, not-an-ip', 0, null],
      ['an entry with a NUL: null', '198.51.100.7\u0000', 0, null],
      ['a unicode entry: null', '１９８.51.100.7', 0, null],
    ])('%s', (_, forwardedFor, trustProxy, expected) => {
      expect(readClientIp({ socket: null, forwardedFor, trustProxy })).toBe(expected);
    });
  });

  it('reads the end of a very long header', () => {
    const padding = Array.from({ length: 5_000 }, (_, i) => `10.${i % 250}.0.1`).join(', ');
    expect(
      readClientIp({ socket: '203.0.113.9', forwardedFor: `${padding}, 198.51.100.7`, trustProxy: 1 }),
    ).toBe('198.51.100.7');
  });

  it.each([
    ['the production server', '203.0.113.9'],
    ['a route handler', null],
  ])('on %s, never reads the cut end of a long entry as an address', (_, socket) => {
    // The header's last 2,048 characters start with "1.2.3.4", the tail of the entry "9991.2.3.4".
    const kept = `1.2.3.4,${' '.repeat(2048 - 15)}5.5.5.5`;
    expect(readClientIp({ socket, forwardedFor: `999${kept}`, trustProxy: 2 })).toBe('5.5.5.5');
  });
});
