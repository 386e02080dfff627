/**
 * Reproduce: run a run folder's spec again from the code that made it and compare the numbers.
 *
 * The recorded git SHA is checked out into a temporary worktree of the repository this code
 * lives in, the recorded `git.diff` applied, the recorded lockfile installed (`npm ci`, which also
 * builds), and the recorded resolved spec (its base seed included) run again with that tree's own
 * `gymlab run` in the recorded mode, on the recorded backend (`-s agent.net.backend=`: a spec that
 * names none computes where the machine allows, and the fast path's native and wasm kernels differ
 * in the last bits, so a run made on `fast` reruns on `fast` on a machine with the native kernels).
 * The session CSVs are compared cell by cell, time columns aside.
 * With `reuseInstall`, the current `node_modules` is used instead of `npm ci` only when the tree's
 * lockfile hashes to the one installed here (the packages are then the same files); the tree is
 * still built from its own sources. The worktree is removed at the end.
 */
import { execFileSync, spawn } from 'node:child_process';
import { NET_BACKENDS } from '@gymlab/spec';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PreflightError } from './check-spec.js';
import { firstCsvDifference } from './csv-compare.js';
import type { CsvDifference } from './csv-compare.js';
import { writeFileAtomic } from './fs-utils.js';
import { codeDir, lockfileHash } from './provenance.js';
import { EVAL_CSV, GIT_DIFF_FILE, PROVENANCE_FILE, SESSION_CSV, SPEC_FILE, sessionDir } from './run-folder.js';

export { PreflightError } from './check-spec.js';

export interface ReproduceOptions {
  readonly runDir: string;
  /** Only this session (its CSVs); default every session the run recorded. */
  readonly session?: number;
  /** Use the current node_modules when the lockfiles hash alike (else `npm ci` runs, with a line saying why). */
  readonly reuseInstall?: boolean;
  /** The git repository holding the recorded commit; default the one this code is in. */
  readonly repo?: string;
  /** Progress lines (worktree, install, rerun). */
  readonly log?: (line: string) => void;
  /** Stops the rerun (the child gets SIGTERM) and cleans up. */
  readonly signal?: AbortSignal;
  /**
   * Keep the built worktree in this folder and use it again for runs of the same commit and
   * git.diff (one tree per pair); default a temporary tree removed at the end.
   */
  readonly treeCache?: string;
}

export interface FileDifference extends CsvDifference {
  /** Relative to the run folder, e.g. `trial_0/session_0/metrics.csv`. */
  readonly file: string;
}

export interface ReproduceResult {
  /** The files compared, relative to the run folder. */
  readonly compared: readonly string[];
  /** The first difference; null: every compared file is identical (time columns aside). */
  readonly difference: FileDifference | null;
  readonly sha: string;
  readonly install: 'npm ci' | 'reused';
  /** Lines worth telling (lockfile or backend not as recorded). */
  readonly notes: readonly string[];
}

/** What reproduce reads from a run folder, checked. */
export interface ReproduceRecord {
  readonly runDir: string;
  readonly sha: string;
  readonly diffFile: string | null;
  readonly lockfileSha256: string | null;
  readonly specName: string;
  readonly mode: 'dev' | 'train';
  readonly sessions: number;
  readonly backend: string | null;
}

function refuse(file: string, problem: string): never {
  throw new PreflightError(`${file}: ${problem}`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads and checks what `reproduce` needs from `runDir`; one `PreflightError` line otherwise. */
export function readReproduceRecord(path: string): ReproduceRecord {
  const runDir = resolve(path);
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) refuse(path, 'is not a folder (expected a run folder made by gymlab run)');
  const provFile = join(runDir, PROVENANCE_FILE);
  if (!existsSync(provFile)) refuse(path, `has no ${PROVENANCE_FILE} (expected a run folder made by gymlab run)`);
  let prov: unknown;
  try {
    prov = JSON.parse(readFileSync(provFile, 'utf8'));
  } catch (err) {
    refuse(provFile, `unreadable or malformed JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (!isRecord(prov)) refuse(provFile, 'expected a JSON object');
  const git = prov.git;
  const sha = isRecord(git) ? git.sha : undefined;
  if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) refuse(provFile, 'git.sha is not a commit SHA (the run was not made in a git checkout, so its code cannot be checked out)');
  const mode = prov.mode;
  if (mode !== 'dev' && mode !== 'train') refuse(provFile, `mode ${JSON.stringify(mode)} cannot be reproduced (allowed: dev, train; a search folder's trials are train runs of their own spec)`);
  if (prov.status !== 'completed') refuse(provFile, `status ${JSON.stringify(prov.status)}: only a completed run's CSVs can be compared`);
  const seeds = prov.seeds;
  const sessions = isRecord(seeds) && Array.isArray(seeds.sessions) ? seeds.sessions.length : 0;
  if (sessions < 1) refuse(provFile, 'seeds.sessions is missing or empty');
  const specName = prov.spec_name;
  if (typeof specName !== 'string') refuse(provFile, 'spec_name is missing');
  const specFile = join(runDir, SPEC_FILE);
  if (!existsSync(specFile)) refuse(path, `has no ${SPEC_FILE}`);
  const diffFile = join(runDir, GIT_DIFF_FILE);
  const hasDiff = existsSync(diffFile);
  if (isRecord(git) && git.dirty === true && !hasDiff) refuse(provFile, `git.dirty is true but ${GIT_DIFF_FILE} is missing: the code that ran cannot be rebuilt`);
  const lock = prov.lockfile_sha256;
  const backend = prov.backend;
  return {
    runDir,
    sha,
    diffFile: hasDiff ? diffFile : null,
    lockfileSha256: typeof lock === 'string' ? lock : null,
    specName,
    mode,
    sessions,
    backend: typeof backend === 'string' ? backend : null,
  };
}

/**
 * The rerun's `gymlab run` arguments (after the bin): the recorded spec, mode and seeds, on the
 * recorded backend when provenance names one gymlab knows; `session`: only sessions 0 to it.
 */
export function rerunArgs(rec: ReproduceRecord, dataDir: string, session?: number): string[] {
  const args = ['run', join(rec.runDir, SPEC_FILE), rec.specName, rec.mode, '--data-dir', dataDir];
  if (rec.backend !== null && (NET_BACKENDS as readonly string[]).includes(rec.backend)) args.push('-s', `agent.net.backend=${rec.backend}`);
  // sessions' seeds are drawn in order from the base seed: the first N+1 sessions include session N's
  if (rec.mode === 'train' && session !== undefined) args.push('-s', `meta.max_session=${session + 1}`);
  return args;
}

/** The session CSVs of `sessions` that exist in the recorded run, relative to it. */
function recordedCsvs(runDir: string, sessions: readonly number[]): string[] {
  const files: string[] = [];
  for (const s of sessions) {
    for (const name of [SESSION_CSV, EVAL_CSV]) {
      const rel = join(`trial_0`, `session_${s}`, name);
      if (existsSync(join(runDir, rel))) files.push(rel);
    }
    if (!existsSync(join(sessionDir(runDir, 0, s), SESSION_CSV))) refuse(runDir, `trial_0/session_${s}/${SESSION_CSV} is missing`);
  }
  return files;
}

function git(args: readonly string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    throw new PreflightError(`git ${args[0]} failed in ${cwd}: ${stderr}`);
  }
}

/** The root of the git repository at `dir`, or a one-line refusal. */
function repoRoot(dir: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    throw new PreflightError(`reproduce: ${dir} is not in a git repository (give the repository that made the run)`);
  }
}

/** The folder holding `node_modules` for the code running now (the install that can be reused). */
function installRoot(): string | null {
  for (let d = codeDir(); ; d = resolve(d, '..')) {
    if (existsSync(join(d, 'package-lock.json')) && existsSync(join(d, 'node_modules'))) return d;
    if (resolve(d, '..') === d) return null;
  }
}

/**
 * Links `from`'s node_modules into `to`: packages as links to the installed folders; the
 * workspace's own packages (relative links into the workspace) as the same relative links, so they
 * resolve to `to`'s sources, not `from`'s.
 */
function linkNodeModules(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    const st = lstatSync(src);
    if (st.isSymbolicLink()) {
      symlinkSync(readlinkSync(src), dst);
    } else if (name.startsWith('@') && st.isDirectory()) {
      linkNodeModules(src, dst);
    } else {
      symlinkSync(src, dst);
    }
  }
}

/** Links the install at `root` into `tree` (root and each workspace package's own node_modules). */
function reuseInstall(root: string, tree: string): void {
  linkNodeModules(join(root, 'node_modules'), join(tree, 'node_modules'));
  for (const group of ['libs', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const pkg of readdirSync(dir)) {
      const nm = join(dir, pkg, 'node_modules');
      if (existsSync(nm) && existsSync(join(tree, group, pkg))) linkNodeModules(nm, join(tree, group, pkg, 'node_modules'));
    }
  }
}

/** Runs a command: its stderr to `log` line by line, its stdout's last lines too when it fails; resolves to its exit code. */
function runChild(cmd: string, args: readonly string[], cwd: string, log: (line: string) => void, signal?: AbortSignal): Promise<number> {
  return new Promise((resolveCode, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = (): void => void child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    let tail = '';
    let out = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (tail + chunk.toString('utf8')).split(/\r|\n/);
      tail = lines.pop() ?? '';
      for (const l of lines) if (l.trim().length > 0) log(l);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out = (out + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (tail.trim().length > 0) log(tail);
      if (code !== 0) for (const l of out.split('\n').slice(-20)) if (l.trim().length > 0) log(l);
      resolveCode(code ?? (sig === null ? 1 : 128 + 15));
    });
  });
}

/** Removes a worktree (and its registration), best effort. */
function removeTree(repo: string, tree: string): void {
  try {
    execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: repo, stdio: 'ignore' });
  } catch {
    // not registered (any more): removed below
  }
  rmSync(tree, { recursive: true, force: true });
  rmSync(builtMarker(tree), { force: true });
  try {
    execFileSync('git', ['worktree', 'prune'], { cwd: repo, stdio: 'ignore' });
  } catch {
    // nothing to prune
  }
}

/** The single run folder the rerun made under `dataDir`. */
function rerunFolder(dataDir: string): string {
  const made = existsSync(dataDir) ? readdirSync(dataDir) : [];
  if (made.length !== 1) throw new Error(`reproduce: the rerun made ${made.length} run folders in ${dataDir} (expected 1)`);
  return join(dataDir, made[0]);
}

/** Reruns a run folder from its recorded code, lockfile, spec and seeds, and compares the session CSVs. */
export async function reproduce(opts: ReproduceOptions): Promise<ReproduceResult> {
  const log = opts.log ?? (() => {});
  const rec = readReproduceRecord(opts.runDir);
  if (opts.session !== undefined && (!Number.isInteger(opts.session) || opts.session < 0 || opts.session >= rec.sessions)) {
    throw new PreflightError(`--session ${opts.session}: the run has sessions 0 to ${rec.sessions - 1}`);
  }
  const sessions = opts.session === undefined ? Array.from({ length: rec.sessions }, (_, s) => s) : [opts.session];
  const files = recordedCsvs(rec.runDir, sessions);
  const repo = repoRoot(opts.repo ?? codeDir());
  try {
    execFileSync('git', ['cat-file', '-e', `${rec.sha}^{commit}`], { cwd: repo, stdio: 'ignore' });
  } catch {
    throw new PreflightError(`${join(rec.runDir, PROVENANCE_FILE)}: commit ${rec.sha} is not in the repository at ${repo} (fetch it first)`);
  }

  const tmp = mkdtempSync(join(tmpdir(), 'gymlab-reproduce-'));
  const diff = rec.diffFile === null ? '' : readFileSync(rec.diffFile, 'utf8');
  const key = `${rec.sha.slice(0, 12)}-${createHash('sha256').update(diff).digest('hex').slice(0, 12)}`;
  const tree = opts.treeCache === undefined ? join(tmp, 'tree') : join(resolve(opts.treeCache), key);
  const notes: string[] = [];
  try {
    const built = readBuiltMarker(tree);
    const install = built ?? (await buildTree(rec, repo, tree, opts, log));
    if (built !== null) log(`using the tree built before in ${tree}`);
    const treeLock = lockfileHash(tree);
    if (rec.lockfileSha256 !== null && treeLock !== rec.lockfileSha256) {
      notes.push(`the lockfile at ${rec.sha.slice(0, 12)} with git.diff hashes to ${treeLock ?? 'nothing'}, not the recorded ${rec.lockfileSha256}: packages may differ`);
    }
    if (opts.signal?.aborted) throw new Error('reproduce: interrupted');

    const dataDir = join(tmp, 'data');
    const args = [join(tree, 'apps', 'cli', 'bin', 'gymlab.js'), ...rerunArgs(rec, dataDir, opts.session)];
    log(`rerun: gymlab run spec.json ${rec.specName} ${rec.mode}${rec.backend === null ? '' : ` on ${rec.backend}`}${opts.session === undefined ? '' : ` (sessions 0-${opts.session})`}`);
    const code = await runChild(process.execPath, args, tmp, log, opts.signal);
    if (code !== 0) throw new Error(`reproduce: the rerun exited with ${code}`);
    const rerun = rerunFolder(dataDir);
    const rerunBackend = (JSON.parse(readFileSync(join(rerun, PROVENANCE_FILE), 'utf8')) as { backend?: unknown }).backend;
    if (rec.backend !== null && rerunBackend !== rec.backend) notes.push(`the rerun computed on ${String(rerunBackend)}, the run on ${rec.backend}`);

    let difference: FileDifference | null = null;
    for (const file of files) {
      const other = join(rerun, file);
      const recorded = readFileSync(join(rec.runDir, file), 'utf8');
      const d = existsSync(other) ? firstCsvDifference(recorded, readFileSync(other, 'utf8')) : { row: 0, column: '(file)', recorded: 'present', rerun: 'missing' };
      if (d !== null) {
        difference = { file, ...d };
        break;
      }
    }
    return { compared: files, difference, sha: rec.sha, install, notes };
  } finally {
    if (opts.treeCache === undefined) removeTree(repo, tree);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Marks a tree whose install and build completed (`treeCache`), with how it was installed. */
const builtMarker = (tree: string): string => `${tree}.built`;

function readBuiltMarker(tree: string): 'npm ci' | 'reused' | null {
  const file = builtMarker(tree);
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8').trim();
  return text === 'npm ci' || text === 'reused' ? text : null;
}

/** Checks the commit out into `tree`, applies git.diff, installs (npm ci, or the current install when the lockfile is the same) and builds. */
async function buildTree(rec: ReproduceRecord, repo: string, tree: string, opts: ReproduceOptions, log: (line: string) => void): Promise<'npm ci' | 'reused'> {
  removeTree(repo, tree); // a tree left half-built, if any
  log(`worktree of ${rec.sha.slice(0, 12)} in ${tree}`);
  git(['worktree', 'add', '--detach', '--quiet', tree, rec.sha], repo);
  if (rec.diffFile !== null) {
    try {
      git(['apply', '--whitespace=nowarn', rec.diffFile], tree);
    } catch (err) {
      throw new PreflightError(`${rec.diffFile}: does not apply to ${rec.sha.slice(0, 12)} (${(err as Error).message})`);
    }
  }
  const treeLock = lockfileHash(tree);
  const root = installRoot();
  const reusable = opts.reuseInstall === true && root !== null && treeLock !== null && lockfileHash(root) === treeLock;
  if (opts.reuseInstall === true && !reusable) log('the installed lockfile differs from the recorded one: running npm ci');
  let install: 'npm ci' | 'reused';
  if (reusable && root !== null) {
    log(`reusing ${join(root, 'node_modules')} (same lockfile), building the tree`);
    reuseInstall(root, tree);
    const code = await runChild('npm', ['run', 'build'], tree, log, opts.signal);
    if (code !== 0) throw new Error(`reproduce: the build of ${rec.sha.slice(0, 12)} failed (exit ${code})`);
    install = 'reused';
  } else {
    log('npm ci in the worktree (installs and builds; 1-3 minutes)');
    const code = await runChild('npm', ['ci', '--no-audit', '--no-fund'], tree, log, opts.signal);
    if (code !== 0) throw new Error(`reproduce: npm ci in the worktree failed (exit ${code})`);
    install = 'npm ci';
  }
  writeFileAtomic(builtMarker(tree), `${install}\n`);
  return install;
}

/** What `gymlab reproduce` prints: `reproduced: identical (...)` or the first differing file, row and column with both values. */
export function formatReproduce(r: ReproduceResult): string {
  const d = r.difference;
  if (d === null) return `reproduced: identical (${r.compared.join(', ')}; time columns aside; commit ${r.sha.slice(0, 12)}, install ${r.install})\n`;
  return `reproduced: different: ${d.file} row ${d.row} column ${d.column}: recorded ${d.recorded}, rerun ${d.rerun}\n`;
}
