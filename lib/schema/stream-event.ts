import * as z from 'zod/mini';

/** SSE event names of a board, declared once: what travels on the bus and into every stream. */
export const boardEventNameSchema = z.enum(['snapshot', 'update', 'status']);
export type BoardEventName = z.infer<typeof boardEventNameSchema>;

/** Every SSE event name a stream carries: the board's, and the server's last word before it ends. */
export const streamEventNameSchema = z.enum([...boardEventNameSchema.options, 'reconnect']);
export type StreamEventName = z.infer<typeof streamEventNameSchema>;

/** The data of a `reconnect` event: why the server ends the stream, and when to come back. */
export const reconnectNoticeSchema = z.object({
  reason: z.enum(['shutdown', 'max-duration']),
  retryMs: z.int().check(z.nonnegative()),
});
export type ReconnectNotice = z.infer<typeof reconnectNoticeSchema>;
