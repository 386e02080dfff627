import { SpecError } from '../errors.js';

/** The SpecError thrown by `fn` (fails the test when none is thrown; other errors pass through). */
export function specError(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError');
}
