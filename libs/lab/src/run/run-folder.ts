/**
 * The run folder's layout: one folder per command, never overwritten.
 *
 * ```
 * <dataDir>/<spec_name>_<YYYY_MM_DD_HHMMSS>/
 *   spec.json  provenance.json  git.diff
 *   trial_<t>/trial_metrics.json  trial_metrics.csv  [trial_eval_metrics.json]
 *   trial_<t>/session_<s>/metrics.csv  metrics.json  [eval.csv  eval_metrics.json]  checkpoints/{latest,best}/
 *                         plots/  tensorboard/
 *   report.html   trial_<t>/plots/
 * ```
 */
import { join } from 'node:path';
import { createExclusiveDir } from './fs-utils.js';

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

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY_MM_DD_HHMMSS` in local time, as SLM Lab names its run folders. */
export function timestamp(date: Date): string {
  return (
    `${date.getFullYear()}_${pad(date.getMonth() + 1)}_${pad(date.getDate())}_` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/** Creates `<dataDir>/<specName>_<timestamp>` exclusively (a suffix `_1`, `_2`... on collision). */
export function createRunFolder(dataDir: string, specName: string, date: Date = new Date()): string {
  return createExclusiveDir(dataDir, `${specName}_${timestamp(date)}`);
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
