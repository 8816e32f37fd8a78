import * as z from 'zod/mini';
import { versionSchema } from '@/lib/schema/board';
import { boardEventNameSchema } from '@/lib/schema/stream-event';

/**
 * What the tabs sharing one city's stream tell each other over BroadcastChannel. The channel's name
 * carries `RELAY_PROTOCOL`: after a deploy, a tab still running the old code and one running the new
 * can hold the same city, and must not read each other's messages (each then opens its own stream).
 */
export const RELAY_PROTOCOL = 1;

/** How the link to the server is doing, as the tab holding the stream sees it. */
export const connectionStateSchema = z.enum(['connecting', 'open', 'reconnecting']);
/** `connecting`: first attempt; `open`: events flowing; `reconnecting`: lost, trying again. */
export type ConnectionState = z.infer<typeof connectionStateSchema>;

/**
 * One SSE event as it came from the server: its name, its data untouched (each page checks it with
 * the server's schemas, as it does its own stream's) and its id, the board's version (`null` for
 * `status`, which has none).
 */
export const relayedEventSchema = z.object({
  name: boardEventNameSchema,
  data: z.string(),
  version: z.nullable(versionSchema),
});
export type RelayedEvent = z.infer<typeof relayedEventSchema>;

const tabSchema = z.string().check(z.minLength(1), z.maxLength(64));

/**
 * - `holder`: a tab took the stream (it won the lock): every other tab says `hello` again, since an
 *   answer the last holder owed may never come.
 * - `hello`: a tab that does not hold the stream says which version it holds (`null`: none);
 *   `hello` numbers its greetings so a late answer to an older one is recognised.
 * - `catch-up`: the holder's answer to one `hello`: the events that tab missed (or a snapshot), or
 *   `gap: true` when the holder cannot give them gaplessly; with the last status and the connection.
 * - `event`, `connection`: the holder passes on each event of its stream, and each change of its link.
 */
export const relayMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('holder'), tab: tabSchema }),
  z.object({
    kind: z.literal('hello'),
    tab: tabSchema,
    hello: z.int(),
    version: z.nullable(versionSchema),
  }),
  z.object({
    kind: z.literal('catch-up'),
    to: tabSchema,
    hello: z.int(),
    gap: z.boolean(),
    events: z.array(relayedEventSchema),
    status: z.nullable(relayedEventSchema),
    connection: connectionStateSchema,
  }),
  z.object({ kind: z.literal('event'), event: relayedEventSchema }),
  z.object({ kind: z.literal('connection'), state: connectionStateSchema }),
]);
export type RelayMessage = z.infer<typeof relayMessageSchema>;

/** A message from another tab, checked; `null` (ignored) when it is not one of ours. */
export function parseRelayMessage(value: unknown): RelayMessage | null {
  const parsed = relayMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
