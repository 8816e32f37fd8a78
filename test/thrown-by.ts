/**
 * The error `run` throws, when it is an `ErrorClass`; anything else it throws fails the test as it
 * is, and so does not throwing at all.
 */
export function thrownBy<E extends Error>(
  // biome-ignore lint/suspicious/noExplicitAny: any constructor of E, whatever its parameters.
  ErrorClass: new (...args: any[]) => E,
  run: () => unknown,
): E {
  try {
    run();
  } catch (error) {
    if (error instanceof ErrorClass) return error;
    throw error;
  }
  throw new Error(`expected ${ErrorClass.name}, but nothing was thrown`);
}
