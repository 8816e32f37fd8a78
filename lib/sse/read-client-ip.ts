import 'server-only';
import { isIP } from 'node:net';

/**
 * The client's IP, for per-client limits. `X-Forwarded-For` is believed only as far as `trustProxy`
 * hops (TRUST_PROXY): each trusted proxy appends the address it saw, so the client is that many
 * entries from the right; anything further left was written by the client and could be anything.
 *
 * `socket` is the peer address when the server knows it (the production server). A route handler
 * does not: there Next sets `X-Forwarded-For` to the peer address only when the request has none,
 * so the header's last entry stands for the socket. Returns null when no valid address is found.
 */
export function readClientIp({
  socket,
  forwardedFor,
  trustProxy,
}: {
  socket: string | null;
  forwardedFor: string | null;
  trustProxy: number;
}): string | null {
  // Bounded: a header of thousands of entries is not split in full.
  const entries = (forwardedFor ?? '')
    .slice(-2048)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = socket ? [...entries, socket] : entries;
  const hops = socket ? trustProxy : Math.max(trustProxy, 1);
  const index = Math.max(0, chain.length - 1 - (socket ? hops : hops - 1));
  const candidate = normalize(chain[index] ?? socket ?? '');
  return isIP(candidate) ? candidate : null;
}

/** One key per client: `::ffff:1.2.3.4` is 1.2.3.4, and a port or brackets are dropped. */
function normalize(address: string): string {
  let value = address.trim();
  const bracket = value.indexOf(']');
  if (value.startsWith('[')) value = value.slice(1, bracket === -1 ? undefined : bracket);
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  if (value.toLowerCase().startsWith('::ffff:') && isIP(value.slice(7)) === 4) value = value.slice(7);
  return value.toLowerCase();
}
