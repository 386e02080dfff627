/**
 * Helpers for tests that run a command's bin as a child process (or its `main` in the test's own
 * process): build first when a needed dist file is missing, run or spawn the bin, collect and wait for its output, find its descendant
 * processes and check that they ended (Linux /proc), temp folders, folder snapshots, and CSVs
 * without their wall-clock columns.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Io } from './exit.js';

/** Builds the workspace at `repoRoot` (`tsc -b tsconfig.build.json`) when one of `needed` is missing. */
export function ensureBuilt(repoRoot: string, needed: readonly string[]): void {
  if (needed.every((p) => existsSync(p))) return;
  execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'ignore', timeout: 300_000 });
}

export interface BinResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin ...args` to its end. */
export function runBin(bin: string, args: readonly string[], opts: { readonly cwd: string; readonly timeout?: number }): BinResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeout ?? 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An `Io` writing into strings: `out()` and `err()` are what was written so far. */
export function memoryIo(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (write: (s: string) => void): NodeJS.WriteStream => ({ write: (s: string) => (write(s), true), columns: 80 }) as unknown as NodeJS.WriteStream;
  return { io: { stdout: stream((s) => (out += s)), stderr: stream((s) => (err += s)) }, out: () => out, err: () => err };
}

/**
 * Runs a command's `main` (what its bin awaits and exits with) on `args` in this process, its
 * output captured: the same exit code and lines as the bin, without starting Node and loading the
 * libs again for each call. For tests of what the command answers; a test of the bin itself
 * (its exit status, signals, child processes) uses runBin or spawnBin.
 */
export async function runMain(main: (argv: readonly string[], io: Io) => Promise<number>, args: readonly string[]): Promise<BinResult> {
  const m = memoryIo();
  const code = await main(args, m.io);
  return { code, stdout: m.out(), stderr: m.err() };
}

/** Starts `node bin ...args` with its stdout and stderr piped. */
export function spawnBin(bin: string, args: readonly string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `${prefix}-`));

/** Collects a child's output (stdout and stderr); `waitFor` resolves when the text so far matches. */
export function collect(child: ChildProcess): { text: () => string; waitFor: (re: RegExp, timeoutMs?: number) => Promise<void>; exit: Promise<number | null> } {
  let out = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      if (w.re.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    text: () => out,
    exit,
    waitFor: (re, timeoutMs = 240_000) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(out)) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output so far:\n${out.slice(-2000)}`)), timeoutMs);
        waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
      }),
  };
}

/**
 * Resolves once `ready()` returns a value other than undefined (checked every `everyMs`), with that
 * value; rejects naming `what` after `timeoutMs`. For waiting on an event seen in files or
 * processes instead of sleeping a fixed time. `ready` may throw while the thing is not there yet.
 */
export async function pollFor<T>(what: string, ready: () => T | undefined, timeoutMs = 240_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let got: T | undefined;
    try {
      got = ready();
    } catch {
      got = undefined;
    }
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Parent pid of every process (Linux /proc). */
function parents(): Map<number, number> {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended while we looked
    }
  }
  return parent;
}

/** Pids of the direct children of `pid`. */
export function childPids(pid: number): number[] {
  return [...parents()].filter(([, pp]) => pp === pid).map(([p]) => p);
}

/** Pids of every descendant of `pid`. */
export function descendants(pid: number): number[] {
  const parent = parents();
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** The process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Every file under `dir` (or those whose relative path `keep` accepts) as relative path ->
 * "size:mtime:base64 content", to prove a folder's files did not change.
 */
export function snapshot(dir: string, keep: (rel: string) => boolean = () => true): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (keep(relative(dir, p))) out[relative(dir, p)] = `${st.size}:${st.mtimeMs}:${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

/** CSV lines without the wall-clock columns (wall_time, fps). */
export function withoutTimeColumns(csv: string): string[] {
  const lines = csv.trim().split('\n');
  const header = lines[0].split(',');
  const drop = new Set(['wall_time', 'fps'].map((c) => header.indexOf(c)));
  return lines.map((l) => l.split(',').filter((_, i) => !drop.has(i)).join(','));
}

export type Json = { [k: string]: Json } | Json[] | string | number | boolean | null;
export type JsonObject = { [k: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `a` with `b` merged in: objects key by key, recursively; anything else from `b` replaces. */
function deepMerge(a: Json | undefined, b: Json): Json {
  if (!isObject(a) || !isObject(b)) return b;
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = deepMerge(a[k], v);
  return out;
}

/** A copy of the JSON spec file `file` in a new temp folder, with `patch` merged deeply into spec `name`; returns the copy. */
export function specVariant(file: string, name: string, patch: JsonObject): string {
  const all = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  const out = join(tempDir('spec'), 'spec.json');
  writeFileSync(out, JSON.stringify({ [name]: deepMerge(all[name], patch) }, null, 2));
  return out;
}
