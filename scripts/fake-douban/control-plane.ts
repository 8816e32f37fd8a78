import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeDoubanError } from './fake-douban-error';
import type { FakeDouban } from './types';
import {
  readActors,
  readCity,
  readDelay,
  readId,
  readMode,
  readScore,
  readTitle,
  readVotes,
} from './validate-input';

const MAX_BODY_BYTES = 16 * 1024;

type Body = Record<string, unknown>;
type Route =
  | { method: 'POST'; run: (fake: FakeDouban, body: Body) => void }
  | { method: 'GET'; run: (fake: FakeDouban, query: URLSearchParams) => unknown };

const optionalCity = (value: unknown) =>
  value === undefined || value === null || value === '' ? undefined : readCity(value);

/** `/__fake/*`: how Playwright specs and other processes command the fake. JSON in, JSON out. */
const routes: Record<string, Route> = {
  '/__fake/score': {
    method: 'POST',
    run: (fake, body) =>
      fake.setScore({
        city: readCity(body.city),
        id: readId(body.id),
        score: readScore(body.score),
        votes: readVotes(body.votes),
      }),
  },
  '/__fake/add': {
    method: 'POST',
    run: (fake, body) =>
      fake.addMovie({
        city: readCity(body.city),
        id: readId(body.id),
        title: readTitle(body.title),
        score: readScore(body.score),
        votes: readVotes(body.votes),
        actors: readActors(body.actors),
      }),
  },
  '/__fake/also-upcoming': {
    method: 'POST',
    run: (fake, body) => fake.listAlsoUpcoming({ city: readCity(body.city), id: readId(body.id) }),
  },
  '/__fake/remove': {
    method: 'POST',
    run: (fake, body) => fake.removeMovie({ city: readCity(body.city), id: readId(body.id) }),
  },
  '/__fake/mode': {
    method: 'POST',
    run: (fake, body) => fake.setMode({ city: optionalCity(body.city), mode: readMode(body.mode) }),
  },
  '/__fake/delay': {
    method: 'POST',
    run: (fake, body) => fake.setDelay({ city: optionalCity(body.city), ms: readDelay(body.ms) }),
  },
  '/__fake/reset': { method: 'POST', run: (fake) => fake.reset() },
  '/__fake/requests': {
    method: 'GET',
    run: (fake, query) => ({ count: fake.requests(optionalCity(query.get('city'))) }),
  },
  '/__fake/log': {
    method: 'GET',
    run: (fake, query) => {
      const city = optionalCity(query.get('city'));
      return { requests: fake.requestLog().filter((entry) => city === undefined || entry.city === city) };
    },
  },
  '/__fake/health': { method: 'GET', run: () => ({ ok: true }) },
};

/** Answers one control-plane request; `url` is the request's parsed URL. */
export async function handleControlRequest({
  fake,
  req,
  res,
  url,
}: {
  fake: FakeDouban;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}): Promise<void> {
  const route = routes[url.pathname];
  if (!route) return sendJson(res, 404, { error: `no control endpoint ${url.pathname}` });
  if (req.method !== route.method) {
    res.setHeader('Allow', route.method);
    return sendJson(res, 405, { error: `${url.pathname} takes ${route.method}` });
  }
  try {
    if (route.method === 'GET') return sendJson(res, 200, route.run(fake, url.searchParams));
    route.run(fake, await readJsonObject(req));
    sendJson(res, 200, { ok: true });
  } catch (error) {
    if (error instanceof FakeDoubanError) return sendJson(res, error.status, { error: error.message });
    sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
  }
}

async function readJsonObject(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new FakeDoubanError(400, `body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FakeDoubanError(400, 'body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FakeDoubanError(400, 'body must be a JSON object');
  }
  return body as Body;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
