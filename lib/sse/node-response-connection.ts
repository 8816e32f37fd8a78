import 'server-only';
import type { ServerResponse } from 'node:http';
import type { CloseReason, Connection, Session } from './session';
import { streamHeaders } from './stream-headers';

/**
 * A session's bytes written straight to a Node response, for the production server (server/main.ts):
 * no web stream, no pipe, no per-chunk promise between our bytes and the socket, which is what a
 * stream costs most in a route handler. Node buffers what the socket cannot take (`writableLength`).
 */
export class NodeResponseConnection implements Connection {
  private response: ServerResponse | null;
  private session: Session | null = null;
  // One bound function per stream: Node's emitters take functions, not listener objects.
  private readonly onGone = () => this.session?.close('aborted');

  /** `headers`: the stream's (see stream-headers.ts), CORS ones added for an allowed other site. */
  constructor(response: ServerResponse, headers: Record<string, string> = streamHeaders) {
    this.response = response;
    // The client may have left while the board loaded the shared state: then nothing is written.
    if (response.destroyed) return;
    response.writeHead(200, headers);
    response.on('close', this.onGone);
  }

  get buffered(): number {
    return this.response?.writableLength ?? 0;
  }

  get gone(): boolean {
    return this.response?.destroyed ?? true;
  }

  bind(session: Session): void {
    this.session = session;
  }

  write(chunk: Uint8Array): void {
    this.response?.write(chunk);
  }

  end(reason: CloseReason): void {
    const response = this.response;
    this.response = null;
    this.session = null;
    if (!response) return;
    response.off('close', this.onGone);
    if (reason === 'slow-client' || response.destroyed) response.destroy();
    else if (!response.writableEnded) {
      // At shutdown the connection goes too once the last bytes are out: kept alive, it would carry
      // the client's reconnect straight back to the server that is leaving.
      const socket = response.socket;
      if (reason === 'shutdown') response.once('finish', () => socket?.end());
      response.end();
    }
  }
}
