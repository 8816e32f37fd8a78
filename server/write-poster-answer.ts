import type { ServerResponse } from 'node:http';
import type { PosterAnswer } from '@/lib/poster/create-poster-proxy';

/**
 * Writes a poster answer to a Node response: the cached bytes themselves go to the socket (Node keeps
 * a reference until the kernel takes them, never a copy), so a thousand clients that read slowly
 * hold one poster between them, not one each. The answer's Content-Length is sent as it is. The
 * client's place (`answer.release`) is given back when the response closes: written, or abandoned.
 */
export function writePosterAnswer({
  answer,
  response,
}: {
  answer: PosterAnswer;
  response: ServerResponse;
}): void {
  if (response.destroyed) {
    answer.release();
    return;
  }
  response.once('close', answer.release);
  response.writeHead(answer.status, answer.headers);
  if (answer.body) response.end(answer.body);
  else response.end();
}
