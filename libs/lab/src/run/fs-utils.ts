/**
 * File writes that never leave a half-written file: write a temp file beside the target, then
 * rename it over the target (atomic on one file system).
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

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
  if (name === '' || name !== basename(name) || name === '.' || name === '..') throw new Error(`createExclusiveDir: '${name}' is not a plain folder name`);
  makeDirs(base);
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

/**
 * `mkdir -p` one level at a time. Node's recursive `mkdirSync` never returns for some paths under
 * `/proc` (it retries ENOENT forever), so folders named by users are made this way: each missing
 * level is created alone and the first error (ENOENT, ENOTDIR, EACCES, EROFS...) is thrown.
 */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    let isDir: boolean | null = null;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (isDir === false) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p });
    if (isDir === true) break;
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(p).isDirectory()) throw err;
    }
  }
}
