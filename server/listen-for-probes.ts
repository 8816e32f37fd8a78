import { createServer, type Server } from 'node:http';
import { answerLiveness } from '@/lib/answer-liveness';
import { answerReadiness } from '@/lib/answer-readiness';
import { logEvent } from '@/lib/log';
import { pathOf } from './path-of';
import { writeResponse } from './write-response';

const probes = new Map<string, (authorization: string | null) => Response>([
  ['/api/health', (authorization) => answerReadiness({ authorization })],
  ['/api/health/ready', (authorization) => answerReadiness({ authorization })],
  ['/api/health/live', () => answerLiveness()],
]);

/**
 * At shutdown the server stops listening, so that nothing new reaches a process that is leaving and
 * it can exit once what it had in hand is done. Its health must still be readable until then: a
 * supervisor that probes liveness while the process drains would otherwise find the port closed and
 * count it dead, and readiness should say why the instance is out (503 `shutting-down`). So this
 * stand-in listens on the same address from then until the process exits, answers the health paths
 * (each on a connection closed after it), and resets any other request unanswered, as the closed port
 * would have refused it: an EventSource then retries where a 503 would have ended it for good, and a
 * proxy tries another instance. It never keeps the process alive.
 */
export function listenForProbes({ port, hostname }: { port: number; hostname?: string }): Server {
  const server = createServer((request, response) => {
    const probe =
      request.method === 'GET' || request.method === 'HEAD' ? probes.get(pathOf(request) ?? '') : null;
    if (!probe) {
      request.socket.destroy();
      return;
    }
    const authorization = request.headers.authorization;
    response.setHeader('Connection', 'close');
    void writeResponse(probe(authorization ?? null), response);
  });
  server.on('error', (error) => logEvent('warn', 'probe-listener-failed', { error: error.message }));
  server.listen(port, hostname);
  server.unref();
  return server;
}
