/** A module loaded on first use, so that `--help` and light commands start without it. */
export interface Lazy<T> {
  /** Loads the module (once) and resolves to it. */
  readonly get: () => Promise<T>;
  /** The module if it has been loaded, else null (e.g. to check an error's class). */
  readonly loaded: () => T | null;
}

export function lazyModule<T>(load: () => Promise<T>): Lazy<T> {
  let module: T | null = null;
  return {
    get: async () => (module ??= await load()),
    loaded: () => module,
  };
}
