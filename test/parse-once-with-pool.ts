// Run by lib/douban/create-page-parser.test.ts in a child process, from the project's root: parses
// one page through a parse pool whose thread would idle for a minute, prints how many movies are now
// playing, and never closes the pool. The process must still exit at once: an idle worker thread
// must not hold it.
import { readFileSync } from 'node:fs';
import { createParsePool } from '@/lib/douban/create-parse-pool';

async function parseOnce(workerFile: string): Promise<void> {
  const pool = createParsePool({ workerFile, timeoutMs: 10_000, idleTimeoutMs: 60_000 });
  const bytes = readFileSync('fixtures/douban/nowplaying-shangrao-2018.html');
  const page = await pool.parse({ bytes, contentType: 'text/html; charset=utf-8' });
  console.log(page.nowPlaying.length);
}

void parseOnce(process.argv[2] as string);
