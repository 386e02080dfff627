/**
 * File writes that never leave a half-written file: write a temp file beside the target, then
 * rename it over the target (atomic on one file system).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let tempCounter = 0;

/** Writes `data` to `path` whole: readers see the old file or the new one, never a part. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${tempCounter++}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes `value` as indented JSON (with a final newline), whole. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Creates `base/name` exclusively: never reuses an existing folder. On a collision it tries
 * `name_1`, `name_2`, ... and returns the path it created.
 */
export function createExclusiveDir(base: string, name: string): string {
  mkdirSync(base, { recursive: true });
  for (let i = 0; ; i++) {
    const path = join(base, i === 0 ? name : `${name}_${i}`);
    try {
      mkdirSync(path);
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
