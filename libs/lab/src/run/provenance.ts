/**
 * Provenance: what is needed to run a run again and get the same numbers — git SHA and dirty
 * flag (and the diff, written beside it), node/npm/tfjs versions, the lockfile's hash, backend,
 * command line, every session's seed, start and end times, hostname and cpu count.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ProvenanceStatus = 'running' | 'completed' | 'interrupted' | 'failed';

export interface GitInfo {
  /** HEAD commit; null outside a git checkout. */
  readonly sha: string | null;
  /** Uncommitted changes to tracked files, or files git does not ignore and has not been given; null outside a git checkout. */
  readonly dirty: boolean | null;
  /**
   * `git diff HEAD --binary` and patches creating the untracked files (their whole contents: new
   * source files matter to a rerun), when dirty (written to git.diff, not into provenance.json).
   * Untracked files are left out when they are run output or installed packages: under the run's
   * data folder, inside any gymlab run folder (a folder with provenance.json and spec.json), or
   * under a `node_modules` folder (besides what .gitignore ignores).
   */
  readonly diff: string | null;
}

/** What `gitInfo` leaves out of the diff besides git's ignores. */
export interface GitInfoOptions {
  /** The data folder run folders are written to (absolute or relative to the cwd). */
  readonly dataDir?: string;
}

/** Whether an untracked file (relative to `top`) is run output or an installed package, not source. */
function notSource(file: string, top: string, dataDir: string | null): boolean {
  const abs = resolve(top, file);
  if (dataDir !== null && (abs === dataDir || abs.startsWith(`${dataDir}${sep}`))) return true;
  const parts = file.split('/');
  if (parts.includes('node_modules')) return true;
  for (let k = parts.length - 1; k >= 1; k--) {
    const dir = join(top, ...parts.slice(0, k));
    if (existsSync(join(dir, 'provenance.json')) && existsSync(join(dir, 'spec.json'))) return true;
  }
  return false;
}

export interface Provenance {
  readonly status: ProvenanceStatus;
  readonly spec_file: string;
  readonly spec_name: string;
  readonly mode: string;
  readonly git: { readonly sha: string | null; readonly dirty: boolean | null };
  readonly versions: {
    readonly node: string;
    readonly npm: string | null;
    readonly tfjs: Readonly<Record<string, string>>;
  };
  /** sha256 of package-lock.json; null when there is none. */
  readonly lockfile_sha256: string | null;
  readonly backend: string | null;
  /** The compute path and why it was chosen: `fast (PPO)`, `tfjs-wasm (agent.net.backend: wasm)`; null when unknown. */
  readonly compute: string | null;
  readonly command_line: readonly string[];
  readonly seeds: { readonly base: number; readonly drawn: boolean; readonly sessions: readonly number[] };
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly hostname: string;
  readonly cpu_count: number;
  readonly platform: string;
  readonly error?: string;
  /** The process that runs (or last ran) the folder: with status `running`, a later command checks it is alive. */
  readonly owner?: ProcessOwner;
  /** When `gymlab run resume` continued the run, in order. */
  readonly resumed_at?: readonly string[];
}

/** A process, told apart from a later one with the same pid by its start time (Linux: /proc/<pid>/stat). */
export interface ProcessOwner {
  readonly pid: number;
  readonly hostname: string;
  /** Start time in clock ticks since boot; null where /proc is not there. */
  readonly started: number | null;
}

/** Field 22 of /proc/<pid>/stat (the start time), or null. */
function processStart(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/** This process, as provenance records it. */
export function currentOwner(): ProcessOwner {
  return { pid: process.pid, hostname: hostname(), started: processStart(process.pid) };
}

/** Whether `owner` still runs: null when it ran on another host (this host cannot tell). */
export function ownerAlive(owner: ProcessOwner): boolean | null {
  if (owner.hostname !== hostname()) return null;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return owner.started === null || processStart(owner.pid) === owner.started;
}

/**
 * A folder's status as a later command should tell it: the recorded one, except that `running`
 * whose owner is gone (killed, machine rebooted) is `interrupted`.
 */
export function currentStatus(p: Pick<Provenance, 'status' | 'owner'>): ProvenanceStatus {
  if (p.status === 'running' && p.owner !== undefined && ownerAlive(p.owner) === false) return 'interrupted';
  return p.status;
}

/** `statusLine` of the run folder's provenance.json; null when it cannot be read. */
export function runStatusLine(runDir: string): string | null {
  try {
    const p = JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8')) as Partial<Provenance> | null;
    if (p === null || typeof p.status !== 'string' || typeof p.mode !== 'string') return null;
    return statusLine(runDir, { status: p.status, mode: p.mode, owner: p.owner });
  } catch {
    return null;
  }
}

/** The line a command prints for a folder's status (with how to resume an interrupted one). */
export function statusLine(runDir: string, p: Pick<Provenance, 'status' | 'owner' | 'mode'>): string {
  const status = currentStatus(p);
  const resumable = p.mode === 'train' || p.mode === 'dev' || p.mode === 'search';
  if (status === 'interrupted') return resumable ? `interrupted (resume with: gymlab run resume ${runDir})` : 'interrupted';
  if (status === 'running' && p.owner !== undefined) return `running (pid ${p.owner.pid} on ${p.owner.hostname})`;
  return status;
}

/** The folder this module lives in: provenance describes the code that runs, not the cwd. */
export function codeDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

function run(cmd: string, args: readonly string[], cwd: string): string | null {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000, maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return null;
  }
}

export function gitInfo(dir: string = codeDir(), opts: GitInfoOptions = {}): GitInfo {
  const sha = run('git', ['rev-parse', 'HEAD'], dir)?.trim() ?? null;
  if (sha === null) return { sha: null, dirty: null, diff: null };
  const top = run('git', ['rev-parse', '--show-toplevel'], dir)?.trim() ?? dir;
  const tracked = run('git', ['diff', 'HEAD', '--binary'], top);
  const dataDir = opts.dataDir === undefined ? null : resolve(opts.dataDir);
  const untracked = (run('git', ['ls-files', '--others', '--exclude-standard', '-z'], top) ?? '').split('\0').filter((f) => f.length > 0 && !notSource(f, top, dataDir));
  if (tracked === null) return { sha, dirty: null, diff: null };
  // new files not yet added: patches that create them, so the diff rebuilds the whole tree
  const created = untracked.map((f) => diffNewFile(f, top)).join('');
  const diff = tracked + created;
  return { sha, dirty: diff.length > 0, diff: diff.length > 0 ? diff : null };
}

/** `git diff --no-index` of a new file against nothing (it exits 1 when there is a difference). */
function diffNewFile(file: string, top: string): string {
  try {
    execFileSync('git', ['diff', '--no-index', '--binary', '--', '/dev/null', file], { cwd: top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000, maxBuffer: 64 * 1024 * 1024 });
    return '';
  } catch (err) {
    const out = (err as { stdout?: unknown }).stdout;
    return typeof out === 'string' ? out : '';
  }
}

/** sha256 of the nearest package-lock.json at or above `dir`; null when there is none. */
export function lockfileHash(dir: string = codeDir()): string | null {
  for (let d = dir; ; d = dirname(d)) {
    const p = join(d, 'package-lock.json');
    if (existsSync(p)) return createHash('sha256').update(readFileSync(p)).digest('hex');
    if (dirname(d) === d) return null;
  }
}

/**
 * npm's version: read from the npm installed beside this Node (`<prefix>/lib/node_modules/npm`, or
 * `<prefix>/node_modules/npm` on Windows), which is what `npm` runs unless PATH says otherwise; when
 * that file is missing, asked of `npm --version` (a spawn of ~0.25 s, once per run).
 */
export function npmVersion(): string | null {
  const prefix = dirname(dirname(process.execPath));
  const candidates = process.platform === 'win32' ? [join(dirname(process.execPath), 'node_modules', 'npm', 'package.json')] : [join(prefix, 'lib', 'node_modules', 'npm', 'package.json')];
  for (const p of candidates) {
    try {
      const v = (JSON.parse(readFileSync(p, 'utf8')) as { version?: unknown }).version;
      if (typeof v === 'string' && /^\d+\.\d+\.\d+/.test(v)) return v;
    } catch {
      // not there: ask npm itself
    }
  }
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['--version'], process.cwd())?.trim() ?? null;
}

export function machineInfo(): { hostname: string; cpu_count: number; platform: string } {
  return { hostname: hostname(), cpu_count: availableParallelism(), platform: `${process.platform}-${process.arch}` };
}
