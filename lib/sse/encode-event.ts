import 'server-only';

const encoder = new TextEncoder();

/**
 * Encodes one SSE event block, ready to enqueue into any number of streams.
 * Follows https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation:
 * every line of `data` becomes its own `data:` field (CR, LF and CRLF all split lines), and the block
 * ends with a blank line that dispatches it. `id` and `event` cannot carry line breaks, and an `id`
 * with NUL is ignored by browsers, so both are rejected here rather than sent broken.
 */
export function encodeEvent({
  event,
  id,
  data,
}: {
  event?: string;
  id?: string | number;
  data: string;
}): Uint8Array {
  let block = '';
  if (event !== undefined) block += `event: ${checkField('event', event)}\n`;
  if (id !== undefined) block += `id: ${checkField('id', String(id), true)}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) block += `data: ${line}\n`;
  return encoder.encode(`${block}\n`);
}

/**
 * A comment block (`: text`), which EventSource ignores: used as a heartbeat so proxies see traffic.
 * Each line of `text` gets its own colon so a line break cannot turn the rest into a field.
 */
export function encodeComment(text = ''): Uint8Array {
  return encoder.encode(
    `${text
      .split(/\r\n|\r|\n/)
      .map((line) => `:${line ? ` ${line}` : ''}`)
      .join('\n')}\n\n`,
  );
}

/** The `retry:` field: how many milliseconds EventSource waits before it reconnects. */
export function encodeRetry(ms: number): Uint8Array {
  if (!Number.isInteger(ms) || ms < 0)
    throw new RangeError(`retry must be a non-negative integer, got ${ms}`);
  return encoder.encode(`retry: ${ms}\n\n`);
}

function checkField(name: string, value: string, noNul = false): string {
  if (/[\r\n]/.test(value) || (noNul && value.includes('\0'))) {
    throw new RangeError(`SSE ${name} must not contain line breaks${noNul ? ' or NUL' : ''}`);
  }
  return value;
}
