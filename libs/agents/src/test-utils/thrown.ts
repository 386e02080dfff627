/** The error `f` throws (fails the test when it throws nothing), for checks on its class and message. */
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw, got none');
}
