/** Runs the built `gymlab-tune` (and `gymlab`) commands as child processes (the workspace is built before the tests). */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt as ensureWorkspaceBuilt, runBin, runMain, spawnBin } from '@gymlab/cli-kit/testing';
import type { BinResult } from '@gymlab/cli-kit/testing';
import { REPO_ROOT, TUNE_BIN, TUNE_ROOT } from './specs.js';

export { collect, descendants, isAlive, pollFor, snapshot, withoutTimeColumns, type BinResult } from '@gymlab/cli-kit/testing';

export const GYMLAB_BIN = join(REPO_ROOT, 'apps', 'cli', 'bin', 'gymlab.js');

/** Builds the workspace once when the tune app's, the CLI's or the lab worker's dist is missing. */
export function ensureBuilt(): void {
  ensureWorkspaceBuilt(REPO_ROOT, [join(TUNE_ROOT, 'dist', 'main.js'), join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js'), join(REPO_ROOT, 'libs', 'lab', 'dist', 'session', 'session-worker.js')]);
}

export function runTune(args: readonly string[], opts: { cwd?: string; timeout?: number } = {}): BinResult {
  return runBin(TUNE_BIN, args, { cwd: opts.cwd ?? TUNE_ROOT, timeout: opts.timeout });
}

/** `gymlab-tune ...args` answered by the command's main in the test's process (no new Node process per call); runTune checks the bin. */
export async function runTuneHere(args: readonly string[]): Promise<BinResult> {
  const { main } = await import('../main.js');
  return runMain(main, args);
}

/** Loads the command's main and the lab from their sources once (a beforeAll), so no test pays it inside its own timeout. */
export async function loadTuneHere(): Promise<void> {
  await Promise.all([import('../main.js'), import('@gymlab/lab')]);
}

export function runGymlab(args: readonly string[], opts: { cwd?: string; timeout?: number } = {}): BinResult {
  return runBin(GYMLAB_BIN, args, { cwd: opts.cwd ?? TUNE_ROOT, timeout: opts.timeout });
}

export function spawnTune(args: readonly string[], cwd: string = TUNE_ROOT): ChildProcess {
  return spawnBin(TUNE_BIN, args, cwd);
}
