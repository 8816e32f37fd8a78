// The yardstick of `npm run bench`: GET /api/movies/stream in bare Node, in as few lines as the contract
// allows (retry, snapshot with an id, status, then updates; one shared heartbeat timer; one pre-encoded
// buffer written once per client per event), polling the same Douban. Never used by the app. It skips
// what the bench does not exercise: Last-Event-ID replay, saved data, backoff, slow-client limits.
// Env: PORT, HOSTNAME, DOUBAN_BASE_URL, POLL_INTERVAL_MS, SSE_HEARTBEAT_MS, SSE_RETRY_MS.
import { createServer, type ServerResponse } from 'node:http';

const env = (name: string, fallback: string) => process.env[name] || fallback;
const base = env('DOUBAN_BASE_URL', 'https://movie.douban.com');
const pollMs = Number(env('POLL_INTERVAL_MS', '60000'));
const retry = Buffer.from(`retry: ${env('SSE_RETRY_MS', '3000')}\n\n`);
const heartbeat = Buffer.from(': heartbeat\n\n');
const headers = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

interface Board {
  version: number;
  movies: Map<string, string>; // id → the movie's JSON, to diff
  greeting: Buffer; // retry + snapshot + status: what a new client gets, one buffer for all
  clients: Set<ServerResponse>;
  ready: Promise<void>;
}
const boards = new Map<string, Board>();

const encode = (event: string, id: number | null, data: string) =>
  Buffer.from(`event: ${event}\n${id === null ? '' : `id: ${id}\n`}data: ${data}\n\n`);

/** Movies of one section of Douban's page, as the app's `Movie` JSON (same fields, same order). */
function parseSection(html: string, category: 'nowplaying' | 'upcoming'): Record<string, unknown>[] {
  const items = html.matchAll(/<li\s+id="(\d+)"\s+class="list-item[^"]*"([^>]*)>([\s\S]*?)<\/ul>/g);
  return [...items].map(([, id, tag = '', body = '']) => {
    const a = Object.fromEntries([...tag.matchAll(/(data-[a-z]+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    const rated = category === 'nowplaying' && a['data-enough']?.toLowerCase() === 'true';
    const list = (value = '', split: RegExp) => value.split(split).filter(Boolean);
    return {
      id,
      category,
      title: a['data-title'],
      score: rated ? Number(a['data-score']) : null,
      votes: category === 'nowplaying' ? Number(a['data-votecount']) : null,
      stars: rated ? Number(a['data-star']) : null,
      year: Number(a['data-release']) || null,
      duration: a['data-duration'] || null,
      regions: list(a['data-region'], /\s+/),
      directors: list(a['data-director'], /\s+/),
      actors: list(a['data-actors'], /\s+\/\s+/),
      posterUrl: /<img src="([^"]+)"/.exec(body)?.[1] ?? null,
      url: `https://movie.douban.com/subject/${id}/`,
      ticketUrl: /href="(https:\/\/movie\.douban\.com\/ticket[^"]+)"/.exec(body)?.[1] ?? null,
      releaseDate: /<li class="release-date">\s*([^<]*?)\s*</.exec(body)?.[1] ?? null,
      wish: category === 'upcoming' ? Number(a['data-wish']) || null : null,
    };
  });
}

async function poll(city: string, board: Board): Promise<void> {
  const res = await fetch(`${base}/cinema/nowplaying/${city}/`, { signal: AbortSignal.timeout(10_000) });
  const html = await res.text();
  const split = html.indexOf('<div id="upcoming"');
  if (!res.ok || split < 0) throw new Error(`poll of ${city}: HTTP ${res.status}`);
  const nowPlaying = parseSection(html.slice(0, split), 'nowplaying');
  const upcoming = parseSection(html.slice(split), 'upcoming');
  const movies = new Map(
    [...nowPlaying, ...upcoming].map((movie) => [movie.id as string, JSON.stringify(movie)]),
  );
  const added = [...movies].filter(([id]) => !board.movies.has(id)).map(([, json]) => json);
  const updated = [...movies].filter(([id, json]) => board.movies.has(id) && board.movies.get(id) !== json);
  const removed = [...board.movies.keys()].filter((id) => !movies.has(id));
  const first = board.movies.size === 0;
  if (!first && added.length + updated.length + removed.length === 0) return;
  const fetchedAt = new Date().toISOString();
  board.version = Math.max(board.version + 1, Date.now());
  board.movies = movies;
  const snapshot = {
    city,
    version: board.version,
    fetchedAt,
    stale: false,
    source: 'douban',
    nowPlaying,
    upcoming,
  };
  const status = { city, state: 'live', since: fetchedAt, reason: null, lastSuccessAt: fetchedAt };
  board.greeting = Buffer.concat([
    retry,
    encode('snapshot', board.version, JSON.stringify(snapshot)),
    encode('status', null, JSON.stringify(status)),
  ]);
  if (first) return;
  const changed = `"added":[${added}],"updated":[${updated.map(([, json]) => json)}],"removed":${JSON.stringify(removed)}`;
  const data = `{"city":"${city}","version":${board.version},"fetchedAt":"${fetchedAt}",${changed}}`;
  const chunk = encode('update', board.version, data);
  for (const client of board.clients) client.write(chunk);
}

function boardOf(city: string): Board {
  const existing = boards.get(city);
  if (existing) return existing;
  const board: Board = {
    version: 0,
    movies: new Map(),
    greeting: Buffer.alloc(0),
    clients: new Set(),
    ready: Promise.resolve(),
  };
  const loop = () => poll(city, board).catch((error) => console.error(String(error)));
  board.ready = loop().then(function next() {
    setTimeout(() => loop().then(next), pollMs).unref();
  });
  boards.set(city, board);
  return board;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://reference');
  if (url.pathname === '/api/health') {
    const streams = [...boards.values()].reduce((sum, board) => sum + board.clients.size, 0);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, streams }));
    return;
  }
  const city = url.searchParams.get('city') ?? '';
  if (url.pathname !== '/api/movies/stream' || !/^[a-z0-9]{1,40}$/.test(city)) {
    res.writeHead(url.pathname === '/api/movies/stream' ? 400 : 404).end();
    return;
  }
  const board = boardOf(city);
  await board.ready;
  res.writeHead(200, headers);
  res.write(board.greeting);
  board.clients.add(res);
  res.on('close', () => board.clients.delete(res));
});

setInterval(
  () => {
    for (const board of boards.values()) for (const client of board.clients) client.write(heartbeat);
  },
  Number(env('SSE_HEARTBEAT_MS', '15000')),
).unref();

server.listen(Number(env('PORT', '4402')), env('HOSTNAME', '127.0.0.1'), () =>
  console.log(`reference server listening on ${JSON.stringify(server.address())}`),
);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
