import 'server-only';
import { UpstreamError } from './upstream-error';

/** Browsers look for `<meta charset>` in the first 1024 bytes only; so do we. */
const PRESCAN_BYTES = 1024;

const HEADER_CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;
// Both `<meta charset="gbk">` and `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`.
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([^\s"'/>;]+)/i;

/**
 * Turns a page's bytes into text the way a browser picks the encoding: a byte order mark, else the
 * `charset` of the `Content-Type` header, else a `<meta>` charset in the first 1024 bytes, else UTF-8.
 * Node's `TextDecoder` (full ICU) knows gb18030, gbk, gb2312 and big5 as well as UTF-8. Bytes that are
 * invalid in the chosen encoding become U+FFFD rather than failing the page.
 *
 * @throws {UpstreamError} `unknown-charset` when the declared encoding is not one `TextDecoder` knows.
 */
export function decodePage({
  bytes,
  contentType,
}: {
  bytes: Uint8Array;
  contentType: string | null;
}): string {
  const label = sniffBom(bytes) ?? readHeaderCharset(contentType) ?? readMetaCharset(bytes) ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch (cause) {
    throw new UpstreamError({
      reason: 'unknown-charset',
      message: `Douban's page declares charset ${JSON.stringify(label.slice(0, 40))}, which cannot be decoded.`,
      cause,
    });
  }
  // Browsers read a page labelled gbk or gb2312 with the gb18030 decoder (WHATWG Encoding); Node's
  // own gbk decoder does not know GB18030's four-byte sequences, which such pages do contain.
  if (decoder.encoding === 'gbk') decoder = new TextDecoder('gb18030');
  return decoder.decode(bytes);
}

function sniffBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

function readHeaderCharset(contentType: string | null): string | null {
  const match = contentType ? HEADER_CHARSET.exec(contentType) : null;
  return (match?.[1] ?? match?.[2])?.trim() || null;
}

function readMetaCharset(bytes: Uint8Array): string | null {
  // Every charset label is ASCII, so any single-byte decoding of the head finds it.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, PRESCAN_BYTES));
  const label = META_CHARSET.exec(head)?.[1]?.trim();
  if (!label) return null;
  // A page whose <meta> was readable as ASCII is not UTF-16, whatever it says (as the HTML spec rules).
  return /^utf-?16/i.test(label) ? 'utf-8' : label;
}
