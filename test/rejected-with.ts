/**
 * The error `promise` rejects with, when it is an `ErrorClass`; any other rejection fails the test
 * as it is, and so does resolving.
 */
export async function rejectedWith<E extends Error>(
  // biome-ignore lint/suspicious/noExplicitAny: any constructor of E, whatever its parameters.
  ErrorClass: new (...args: any[]) => E,
  promise: Promise<unknown>,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ErrorClass) return error;
    throw error;
  }
  throw new Error(`expected ${ErrorClass.name}, but the promise resolved`);
}
