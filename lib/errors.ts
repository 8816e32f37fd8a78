import 'server-only';

// The same in every bundle of lib/ (Next's routes and the production server each have one): an
// HttpError thrown by one bundle's services is answered as such by another's route.
const brand = Symbol.for('now-showing.HttpError');

/**
 * An error a user's request caused, with the HTTP status and a machine-readable code the route
 * answers with. Anything else thrown in a route is a bug and becomes a 500.
 */
export class HttpError extends Error {
  /** `instanceof` by brand, not by class: the process holds one class per bundle. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && brand in value;
  }

  readonly [brand] = true;
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** Extra response headers, such as `Retry-After` on a 429 or 503. */
  readonly headers: Record<string, string>;

  constructor({
    status,
    code,
    message,
    details = {},
    headers = {},
  }: {
    status: number;
    code: string;
    message: string;
    details?: Record<string, unknown>;
    headers?: Record<string, string>;
  }) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** Turns a thrown value into the JSON error answer every route gives: `{ error, message, ...details }`. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof HttpError) {
    return Response.json(
      { error: error.code, message: error.message, ...error.details },
      {
        status: error.status,
        // nosniff here too: answers written outside Next (npm start's stream and poster paths) do
        // not get next.config.js's headers, and an error may quote a piece of the request.
        headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...error.headers },
      },
    );
  }
  console.error(error);
  return Response.json(
    { error: 'internal', message: 'Something went wrong on our side.' },
    { status: 500, headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } },
  );
}
