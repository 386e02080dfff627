// Shared by the kernel build scripts: whether a build output must be made again.
import { statSync } from 'node:fs';

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** True when `out` is missing or older than any of `inputs` (paths). */
export function isStale(out, ...inputs) {
  const built = mtime(out);
  return inputs.some((input) => built < mtime(input));
}
