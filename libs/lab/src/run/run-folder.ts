/**
 * The run folder's layout: one folder per command, never overwritten.
 *
 * ```
 * <dataDir>/<spec_name>_<YYYY_MM_DD_HHMMSS>/
 *   spec.json  provenance.json  git.diff
 *   trial_<t>/trial_metrics.json  trial_metrics.csv  [trial_eval_metrics.json]
 *   trial_<t>/session_<s>/metrics.csv  metrics.json  [eval.csv  eval_metrics.json]  checkpoints/{latest,best}/
 *                         plots/  tensorboard/
 *   report.html   trial_<t>/plots/   [recording.gif]
 * ```
 */
import { join } from 'node:path';
import { accessSync, constants } from 'node:fs';
import { SpecError, specNameProblem } from '@gymlab/spec';
import { createExclusiveDir, makeDirs } from './fs-utils.js';

export const SPEC_FILE = 'spec.json';
export const PROVENANCE_FILE = 'provenance.json';
export const GIT_DIFF_FILE = 'git.diff';
export const SESSION_CSV = 'metrics.csv';
export const SESSION_METRICS = 'metrics.json';
export const EVAL_CSV = 'eval.csv';
export const EVAL_METRICS = 'eval_metrics.json';
export const TRIAL_EVAL_METRICS = 'trial_eval_metrics.json';
export const TRIAL_METRICS = 'trial_metrics.json';
export const TRIAL_CSV = 'trial_metrics.csv';
export const CHECKPOINTS_DIR = 'checkpoints';
/** An episode of session 0's best checkpoint, when the run was asked to record it (`--record-best`). */
export const RECORDING_FILE = 'recording.gif';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY_MM_DD_HHMMSS` in local time, as SLM Lab names its run folders. */
export function timestamp(date: Date): string {
  return (
    `${date.getFullYear()}_${pad(date.getMonth() + 1)}_${pad(date.getDate())}_` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/** A data folder (`--data-dir`) that is not a folder, cannot be made, or cannot be written: bad input. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

const DATA_DIR_PROBLEMS: Record<string, string> = {
  ENOTDIR: 'is not a directory (or a part of its path is a file)',
  EEXIST: 'exists and is not a directory',
  EACCES: 'is not writable (permission denied)',
  EPERM: 'is not writable (operation not permitted)',
  EROFS: 'is on a read-only file system',
  ENOENT: 'cannot be created there (a parent folder does not accept new folders)',
  ENOSPC: 'cannot be created: no space left on the device',
};

/** Makes `dataDir` if needed and checks it is a writable folder; a problem is a `DataDirError` naming it. */
export function prepareDataDir(dataDir: string): void {
  try {
    makeDirs(dataDir);
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw dataDirError(dataDir, err);
  }
}

function dataDirError(dataDir: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | null)?.code ?? '';
  const problem = DATA_DIR_PROBLEMS[code];
  return problem === undefined ? (err as Error) : new DataDirError(`--data-dir ${dataDir} ${problem}`);
}

/**
 * Creates `<dataDir>/<specName>_<timestamp>` exclusively (a suffix `_1`, `_2`... on collision).
 * The spec name must be a plain name (checked again here: a folder name never leaves `dataDir`).
 */
export function createRunFolder(dataDir: string, specName: string, date: Date = new Date()): string {
  const problem = specNameProblem(specName);
  if (problem !== null) throw new SpecError({ file: '<spec>', keyPath: '', problem: `spec name ${JSON.stringify(specName)} ${problem}` });
  prepareDataDir(dataDir);
  try {
    return createExclusiveDir(dataDir, `${specName}_${timestamp(date)}`);
  } catch (err) {
    throw dataDirError(dataDir, err);
  }
}

export function trialDir(runDir: string, trial: number): string {
  return join(runDir, `trial_${trial}`);
}

export function sessionDir(runDir: string, trial: number, session: number): string {
  return join(trialDir(runDir, trial), `session_${session}`);
}

export function checkpointDir(sessionFolder: string, which: 'latest' | 'best'): string {
  return join(sessionFolder, CHECKPOINTS_DIR, which);
}
