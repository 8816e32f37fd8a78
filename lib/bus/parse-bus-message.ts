import 'server-only';
import * as z from 'zod/mini';
import {
  boardSnapshotSchema,
  boardStatusSchema,
  boardUpdateSchema,
  citySlugSchema,
  versionSchema,
} from '@/lib/schema/board';
import { boardEventNameSchema } from '@/lib/schema/stream-event';
import type { BoardSnapshot, BoardStatus, BoardUpdate } from '@/lib/types';
import type { BusMessage } from './bus';

/** A message read from the shared store that is not one we could have written. */
export class BadBusMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadBusMessage';
  }
}

export type BoardPayload =
  | { name: 'snapshot'; payload: BoardSnapshot }
  | { name: 'update'; payload: BoardUpdate }
  | { name: 'status'; payload: BoardStatus };

const maxDataBytes = 4 * 1024 * 1024;

// What `publish` writes: status events have no version, every other event has one.
const envelopeSchema = z.object({
  city: citySlugSchema,
  name: boardEventNameSchema,
  version: z.nullable(versionSchema),
  previous: z.nullable(versionSchema),
  data: z.string(),
});

function fail(why: string): never {
  throw new BadBusMessage(why);
}

function readJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    fail(`${what} is not JSON`);
  }
}

/** The first problem zod found, as `path: message`, for the log line. */
function describeIssue(error: z.core.$ZodError, what: string): string {
  const issue = error.issues[0];
  const path = issue?.path.join('.') || what;
  return `bad ${path}: ${issue?.message ?? 'invalid'}`;
}

/**
 * Reads a message from Redis (pub/sub or the history stream): the envelope must be exactly what
 * `publish` writes. Anything else throws `BadBusMessage`, to be logged and skipped.
 */
export function parseBusMessage(raw: unknown): BusMessage {
  if (typeof raw !== 'string' || raw.length > maxDataBytes) fail('not a string of sensible size');
  const value = readJson(raw, 'message');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('not an object');
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) fail(describeIssue(parsed.error, 'message'));
  const message = parsed.data;
  if ((message.name === 'status') !== (message.version === null)) fail('bad version');
  return message;
}

/**
 * Parses and checks an event's payload with the schema of its name (lib/schema/board.ts, the same
 * the parser's output fits), and against the envelope's city and version.
 */
export function parsePayload(message: BusMessage): BoardPayload {
  const data = readJson(message.data, 'payload');
  if (typeof data !== 'object' || data === null || (data as { city?: unknown }).city !== message.city)
    fail('payload of another city');
  if (message.name === 'status') {
    const status = boardStatusSchema.safeParse(data);
    if (!status.success) fail(describeIssue(status.error, 'status'));
    // Degraded is what one instance says of its own link to the store: never shared.
    if (status.data.state === 'degraded') fail('bad status state');
    return { name: 'status', payload: status.data };
  }
  if ((data as { version?: unknown }).version !== message.version)
    fail('payload version differs from the id');
  if (message.name === 'update') {
    const update = boardUpdateSchema.safeParse(data);
    if (!update.success) fail(describeIssue(update.error, 'update'));
    return { name: 'update', payload: update.data };
  }
  const snapshot = boardSnapshotSchema.safeParse(data);
  if (!snapshot.success) fail(describeIssue(snapshot.error, 'snapshot'));
  return { name: 'snapshot', payload: snapshot.data };
}
