/** Runs the built `gymlab-tune` (and `gymlab`) commands as child processes, building first when a dist is missing. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, TUNE_BIN, TUNE_ROOT } from './specs.js';

export const GYMLAB_BIN = join(REPO_ROOT, 'apps', 'cli', 'bin', 'gymlab.js');

/** Builds the workspace once when the tune app's, the CLI's or the lab worker's dist is missing. */
export function ensureBuilt(): void {
  const needed = [join(TUNE_ROOT, 'dist', 'main.js'), join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js'), join(REPO_ROOT, 'libs', 'lab', 'dist', 'session', 'session-worker.js')];
  if (needed.every((p) => existsSync(p))) return;
  execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'ignore', timeout: 300_000 });
}

export interface BinResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTune(args: readonly string[], opts: { cwd?: string; timeout?: number } = {}): BinResult {
  const r = spawnSync(process.execPath, [TUNE_BIN, ...args], { cwd: opts.cwd ?? TUNE_ROOT, encoding: 'utf8', timeout: opts.timeout ?? 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function runGymlab(args: readonly string[], opts: { cwd?: string; timeout?: number } = {}): BinResult {
  const r = spawnSync(process.execPath, [GYMLAB_BIN, ...args], { cwd: opts.cwd ?? TUNE_ROOT, encoding: 'utf8', timeout: opts.timeout ?? 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function spawnTune(args: readonly string[], cwd: string = TUNE_ROOT): ChildProcess {
  return spawn(process.execPath, [TUNE_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Collects a child's output; `waitFor` resolves when the text so far matches. */
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

/** Pids of every descendant of `pid` (Linux /proc). */
export function descendants(pid: number): number[] {
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

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** CSV text without the wall-clock columns (wall_time, fps). */
export function withoutTimeColumns(csv: string): string[] {
  const lines = csv.trim().split('\n');
  const header = lines[0].split(',');
  const drop = new Set(['wall_time', 'fps'].map((c) => header.indexOf(c)));
  return lines.map((l) => l.split(',').filter((_, i) => !drop.has(i)).join(','));
}
