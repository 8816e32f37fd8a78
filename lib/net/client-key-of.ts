import 'server-only';
import { isIP } from 'node:net';

/**
 * The key a client's share of a limit is counted under: its IPv4 address, its IPv6 /64 (one host
 * usually holds a whole /64 and could otherwise take a share from each of its addresses), or one
 * shared `unknown` for every client whose address could not be read.
 */
export function clientKeyOf(client: string | null): string {
  if (client === null) return 'unknown';
  if (isIP(client) !== 6) return client;
  const [head = '', tail] = (client.split('%')[0] ?? '').split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) stands for two groups, always among the last four.
  const tailSize = tailGroups.reduce((size, group) => size + (group.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailSize).fill('0');
  const groups = [...headGroups, ...zeros, ...tailGroups].slice(0, 4);
  return `${groups.map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}
