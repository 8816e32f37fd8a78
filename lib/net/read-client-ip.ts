import 'server-only';
import { isIP } from 'node:net';

// The last 10 trusted hops (TRUST_PROXY is at most 10) fit well within this; a client may send more.
const MAX_HEADER_READ = 2048;

/**
 * The client's IP, for per-client limits. `X-Forwarded-For` is believed only as far as `trustProxy`
 * hops (TRUST_PROXY): each trusted proxy appends the address it saw, so the client is that many
 * entries from the right; anything further left was written by the client and could be anything.
 *
 * `socket` is the peer address when the server knows it (the production server). There, when the
 * trusted entry is not an address (a proxy that writes garbage, or a client that reached the app
 * around the proxy), the socket's address is used: an unreadable header must not lift the limit.
 *
 * A route handler does not know the socket: there Next sets `X-Forwarded-For` to the peer address
 * only when the request has none, so the header's last entry stands for the socket, and with
 * TRUST_PROXY=0 a client that sends its own header chooses its address. Returns null when no valid
 * address is found (route handler only).
 *
 * Addresses come back in one form per client: lower case, without port or brackets, and
 * `::ffff:1.2.3.4` as 1.2.3.4.
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
  const header = forwardedFor ?? '';
  const pieces = header.slice(-MAX_HEADER_READ).split(',');
  // Cut from the right, the first piece may be the tail of a longer entry: never read it as one.
  if (header.length > MAX_HEADER_READ) pieces.shift();
  const entries = pieces.map((entry) => entry.trim()).filter(Boolean);
  if (socket !== null) {
    const chain = [...entries, socket];
    const candidate = normalize(chain[Math.max(0, chain.length - 1 - trustProxy)] ?? '');
    if (isIP(candidate)) return candidate;
    const peer = normalize(socket);
    return isIP(peer) ? peer : null;
  }
  // The last entry is Next's stand-in for the socket, so it is one of the trusted hops.
  const hops = Math.max(trustProxy, 1);
  const candidate = normalize(entries[Math.max(0, entries.length - hops)] ?? '');
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
