/**
 * File writes that never leave a half-written file: write a temp file beside the target, then
 * rename it over the target (atomic on one file system). A durable write also fsyncs the file
 * before the rename and the folder after it, so the new file survives a crash or power loss.
 * A failed write removes its temp file and throws a one-line `WriteError` naming the target
 * (`cannot write PATH: no space left on device (ENOSPC)`).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The file-system calls the writer makes; tests inject faults (a full disk) through it. */
export interface WriteIo {
  readonly openSync: (path: string, flags: string) => number;
  readonly writeSync: (fd: number, data: Uint8Array, offset: number, length: number) => number;
  readonly fsyncSync: (fd: number) => void;
  readonly closeSync: (fd: number) => void;
  readonly renameSync: (from: string, to: string) => void;
  readonly rmSync: (path: string, opts: { force: boolean }) => void;
}

export const nodeWriteIo: WriteIo = {
  openSync: (path, flags) => openSync(path, flags),
  writeSync: (fd, data, offset, length) => writeSync(fd, data, offset, length),
  fsyncSync,
  closeSync,
  renameSync,
  rmSync,
};

export interface WriteOptions {
  /** fsync the file before the rename and its folder after (checkpoints); default false. */
  readonly durable?: boolean;
  readonly io?: WriteIo;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EIO: 'input/output error',
};

/** A file could not be written (full disk, quota, read-only...): one line naming the file. */
export class WriteError extends Error {
  override readonly name = 'WriteError';
  constructor(
    readonly path: string,
    /** The errno code (`ENOSPC`, ...), when the system gave one. */
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** `err` (a failed fs call) as a `WriteError` naming `path`; a `WriteError` is returned as it is. */
export function writeErrorOf(path: string, err: unknown): WriteError {
  if (err instanceof WriteError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const reason = code !== undefined && code in REASONS ? `${REASONS[code]} (${code})` : (err instanceof Error ? err.message : String(err)).split('\n')[0];
  return new WriteError(path, code, `cannot write ${path}: ${reason}`);
}

/** Whether `err` is a failed write: a `WriteError`, or one reported by a session worker. */
export function isWriteFailure(err: unknown): boolean {
  return err instanceof WriteError || (err instanceof Error && (err as { workerName?: unknown }).workerName === 'WriteError');
}

let tempCounter = 0;

/** The temp name a write of `path` uses (`<path>.tmp-<pid>-<n>`), recognised by `isTempName`. */
function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}-${tempCounter++}`;
}

/** Whether a file name is a writer's temp file (left behind only by a killed process). */
export function isTempName(name: string): boolean {
  return /\.tmp-\d+-\d+$/.test(name);
}

/** fsyncs a folder so a rename in it is on disk (best effort where the file system cannot). */
export function syncDir(dir: string, io: WriteIo = nodeWriteIo): void {
  let fd: number;
  try {
    fd = io.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    io.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EBADF') throw writeErrorOf(dir, err);
  } finally {
    io.closeSync(fd);
  }
}

/** Writes `data` to `path` whole: readers see the old file or the new one, never a part. */
export function writeFileAtomic(path: string, data: string | Uint8Array, o: WriteOptions = {}): void {
  const io = o.io ?? nodeWriteIo;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw writeErrorOf(path, err);
  }
  const tmp = tempPath(path);
  try {
    const fd = io.openSync(tmp, 'w');
    try {
      for (let done = 0; done < bytes.byteLength; ) done += io.writeSync(fd, bytes, done, bytes.byteLength - done);
      if (o.durable === true) io.fsyncSync(fd);
    } finally {
      io.closeSync(fd);
    }
    io.renameSync(tmp, path);
  } catch (err) {
    io.rmSync(tmp, { force: true });
    throw writeErrorOf(path, err);
  }
  if (o.durable === true) syncDir(dirname(path), io);
}

/** Writes `value` as indented JSON (with a final newline), whole. */
export function writeJsonAtomic(path: string, value: unknown, o: WriteOptions = {}): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, o);
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
