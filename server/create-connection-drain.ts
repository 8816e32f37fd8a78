import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionDrain {
  /** Call for every request, first thing. */
  track(request: IncomingMessage, response: ServerResponse): void;
  /** From now on every connection closes as soon as its current response is done. */
  drain(): void;
}

/**
 * `server.close()` stops accepting connections and closes the idle ones, but a connection that is
 * busy when it is called stays open in keep-alive once its response is done (until keepAliveTimeout,
 * 5 s). A client would then send its next request on it: an event stream told to reconnect would
 * come straight back to the server that is leaving and get a 503, where a closed connection makes it
 * connect afresh, to another instance or to this one once it has restarted. So each response in
 * flight at shutdown ends its connection when it is done (`Connection: close` if its headers are not
 * sent yet), and so does every request that still arrives on such a connection.
 */
export function createConnectionDrain(): ConnectionDrain {
  const inFlight = new Map<ServerResponse, Socket>();
  let draining = false;

  const closeWhenDone = (response: ServerResponse, socket: Socket) => {
    if (!response.headersSent) response.setHeader('Connection', 'close');
    else if (response.writableFinished) socket.end();
    else response.once('finish', () => socket.end());
  };

  return {
    track(request, response) {
      if (draining) {
        closeWhenDone(response, request.socket);
        return;
      }
      inFlight.set(response, request.socket);
      response.once('close', () => inFlight.delete(response));
    },
    drain() {
      draining = true;
      for (const [response, socket] of inFlight) closeWhenDone(response, socket);
      inFlight.clear();
    },
  };
}
