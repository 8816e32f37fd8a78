// The JavaScript a page loads on a first visit, measured from what the server renders: Next 16's
// Turbopack build no longer prints a per-route "First Load JS" column, so we read it ourselves.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';

/** What Chromium sends: the server picks its encoding from this, as it would for a browser. */
const ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

export interface Asset {
  /** The URL path, `/_next/static/chunks/….js`. */
  url: string;
  raw: number;
  /** node:zlib gzip at level 9 of the built file: independent of the server's settings. */
  gzip9: number;
  /** The body's bytes as the server sent them to a client that accepts what Chromium accepts. */
  served: number;
  /** The Content-Encoding of that answer (`identity` when none). */
  encoding: string;
}

export interface PageWeight {
  path: string;
  html: Omit<Asset, 'url'>;
  /** `<script src>` chunks the browser runs (not `noModule`), and chunks named only in the RSC payload. */
  scripts: Asset[];
  /** `<script noModule>`: the polyfills only browsers without modules fetch; not counted. */
  noModule: Asset[];
  stylesheets: Asset[];
}

/** GETs `url` without decoding it: the bytes on the wire and their encoding. */
export function fetchRaw(url: string): Promise<{ status: number; body: Buffer; encoding: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': ACCEPT_ENCODING } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(parts),
          encoding: String(res.headers['content-encoding'] ?? 'identity'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(body: Buffer, encoding: string): string {
  if (encoding === 'identity') return body.toString('utf8');
  if (encoding === 'gzip') return gunzipSync(body).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(body).toString('utf8');
  throw new Error(`cannot decode a ${encoding} answer`);
}

async function measureAsset({ baseUrl, url, distDir }: { baseUrl: string; url: string; distDir: string }) {
  // /_next/static/… is served from <distDir>/static/…: the file as built.
  const file = readFileSync(path.join(distDir, url.replace(/^\/_next\//, '')));
  const answer = await fetchRaw(`${baseUrl}${url}`);
  if (answer.status !== 200) throw new Error(`${url}: ${answer.status}`);
  return {
    url,
    raw: file.length,
    gzip9: gzipSync(file, { level: 9 }).length,
    served: answer.body.length,
    encoding: answer.encoding,
  };
}

const attribute = (tag: string, name: string) => tag.match(new RegExp(`\\s${name}="([^"]*)"`, 'i'))?.[1];

/**
 * Fetches `pagePath` as a first visit would and weighs every script chunk its HTML references (the
 * `<script src>` tags, and any chunk the RSC payload names that no tag loads), from `distDir/static`.
 */
export async function measureFirstLoadJs({
  baseUrl,
  pagePath,
  distDir,
}: {
  baseUrl: string;
  pagePath: string;
  distDir: string;
}): Promise<PageWeight> {
  const answer = await fetchRaw(`${baseUrl}${pagePath}`);
  if (answer.status !== 200) throw new Error(`${pagePath}: ${answer.status}`);
  const html = decode(answer.body, answer.encoding);
  const htmlBytes = Buffer.from(html, 'utf8');

  const tags = html.match(/<script\b[^>]*\ssrc="[^"]*"[^>]*>/gi) ?? [];
  const noModuleUrls = tags.filter((tag) => /\snomodule\b/i.test(tag)).map((tag) => attribute(tag, 'src'));
  const tagged = tags.filter((tag) => !/\snomodule\b/i.test(tag)).map((tag) => attribute(tag, 'src'));
  const named = html.match(/\/_next\/static\/chunks\/[\w.~-]+\.js/g) ?? [];
  const scriptUrls = [...new Set([...tagged, ...named])].filter(
    (url): url is string => !!url && !noModuleUrls.includes(url),
  );
  const styleUrls = [
    ...new Set(
      (html.match(/<link\b[^>]*rel="stylesheet"[^>]*>/gi) ?? []).map((tag) => attribute(tag, 'href')),
    ),
  ].filter((url): url is string => !!url);

  const weigh = (urls: (string | undefined)[]) =>
    Promise.all(
      urls.filter((url): url is string => !!url).map((url) => measureAsset({ baseUrl, url, distDir })),
    );
  return {
    path: pagePath,
    html: {
      raw: htmlBytes.length,
      gzip9: gzipSync(htmlBytes, { level: 9 }).length,
      served: answer.body.length,
      encoding: answer.encoding,
    },
    scripts: await weigh(scriptUrls),
    noModule: await weigh(noModuleUrls),
    stylesheets: await weigh(styleUrls),
  };
}
