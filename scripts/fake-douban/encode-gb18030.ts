/**
 * Encodes text as GB18030, the way an older Chinese site may serve its pages. Node decodes GB18030
 * but cannot encode it, so the table is built from the decoder itself: every two-byte sequence
 * (lead 0x81–0xFE, trail 0x40–0x7E or 0x80–0xFE) is decoded once and kept by the character it gives.
 * ASCII stays one byte. A character outside the two-byte table (a rare one, an emoji) is written as
 * an HTML numeric reference, which any HTML parser reads back as the same character.
 */
export function encodeGb18030(text: string): Buffer {
  const table = readTable();
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const pair = table.get(char);
    if (pair) bytes.push(pair[0], pair[1]);
    else for (const ascii of `&#${code};`) bytes.push(ascii.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

let cached: Map<string, [number, number]> | undefined;

function readTable(): Map<string, [number, number]> {
  if (cached) return cached;
  const decoder = new TextDecoder('gb18030', { fatal: true });
  const table = new Map<string, [number, number]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      let char: string;
      try {
        char = decoder.decode(Uint8Array.of(lead, trail));
      } catch {
        continue;
      }
      // The first sequence for a character is its canonical one.
      if (!table.has(char)) table.set(char, [lead, trail]);
    }
  }
  cached = table;
  return table;
}
