// The parse worker's entry, bundled on its own with its packages into dist/parse-worker.js by
// scripts/build-server.mjs, so the file runs wherever it is copied (Vercel traces it as one file).
// piscina calls the default export with each task (see `createParsePool`).
import 'server-only';
import { parsePage } from './parse-page';

export default parsePage;
