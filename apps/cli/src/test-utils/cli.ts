/** Runs the built `gymlab` command as a child process (the workspace is built before the tests). */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt as ensureWorkspaceBuilt, runBin, runMain, spawnBin, tempDir as kitTempDir } from '@gymlab/cli-kit/testing';
import type { BinResult } from '@gymlab/cli-kit/testing';

export { childPids, isAlive, snapshot } from '@gymlab/cli-kit/testing';

export const CLI_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REPO_ROOT = join(CLI_ROOT, '..', '..');
export const BIN = join(CLI_ROOT, 'bin', 'gymlab.js');
export const DEMO = join(REPO_ROOT, 'specs', 'demo.json');
export const SHARED_SPECS = join(REPO_ROOT, '..', 'shared', 'slm_lab_specs');

/** Builds once when the CLI's or the lab worker's dist is missing. */
export function ensureBuilt(): void {
  ensureWorkspaceBuilt(REPO_ROOT, [join(CLI_ROOT, 'dist', 'main.js'), join(REPO_ROOT, 'libs', 'lab', 'dist', 'session', 'session-worker.js')]);
}

export type CliResult = BinResult;

export function runCli(args: readonly string[], opts: { cwd?: string; timeout?: number } = {}): CliResult {
  return runBin(BIN, args, { cwd: opts.cwd ?? CLI_ROOT, timeout: opts.timeout ?? 120_000 });
}

/**
 * `gymlab ...args` answered by the command's main in the test's process (no new Node process and
 * no second load of the lab per call): for the many bad-input cases, whose answer is the point.
 * runCli checks the bin itself.
 */
export async function runCliHere(args: readonly string[]): Promise<CliResult> {
  const { main } = await import('../main.js');
  return runMain(main, args);
}

/**
 * Loads the command's main and the lab it loads on demand from their sources (seconds of the
 * test runner's transform, much more on a loaded machine): a file that calls runCliHere does this
 * in its beforeAll, so the first test does not pay it inside its own timeout.
 */
export async function loadCliHere(): Promise<void> {
  await Promise.all([import('../main.js'), import('@gymlab/lab')]);
}

export function spawnCli(args: readonly string[], cwd: string = CLI_ROOT): ChildProcess {
  return spawnBin(BIN, args, cwd);
}

export const tempDir = (prefix: string): string => kitTempDir(`gymlab-${prefix}`);
