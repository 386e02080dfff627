/**
 * What a Session needs, besides its agent and env statistics, to continue exactly where it
 * stopped: the clock and return tracker, the rows written so far, the schedule of the next row,
 * evaluation and checkpoint, the best value so far, the current observations, the env snapshots
 * (training vector env and evaluation env) and the TensorBoard position. It travels as the
 * `resume` field of the `latest` checkpoint's manifest (JSON: float64 numbers are exact).
 *
 * `checkpoints/latest/` is replaced whole: the new checkpoint is written to `latest.partial/`,
 * then `latest` becomes `latest.previous`, `latest.partial` becomes `latest`, and `latest.previous`
 * is deleted once the renames are on disk (the `checkpoints` folder is fsynced after them, as the
 * checkpoint writer fsyncs a folder after each rename). A kill or power loss at any moment leaves
 * `latest` or `latest.previous` whole, and `readResumeCheckpoint` takes the first of them that loads.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentState } from '@gymlab/agents';
import type { EvalRow, SessionRow } from '@gymlab/analysis';
import type { EnvSnapshot, NormalizationState } from '@gymlab/envs';
import { CheckpointError, loadCheckpoint, saveCheckpoint, type CheckpointInfo, type SaveCheckpointOptions } from '../run/checkpoint.js';
import { nodeWriteIo, syncDir, writeErrorOf } from '../run/fs-utils.js';
import { checkpointDir } from '../run/run-folder.js';
import type { ClockState, ReturnTrackerState } from './clock.js';
import type { TensorBoardPosition } from './tb-log.js';

/** Version of the resume record this build writes and reads. */
export const RESUME_VERSION = 1;

export interface SessionResumeState {
  readonly version: typeof RESUME_VERSION;
  readonly clock: ClockState;
  readonly returns: ReturnTrackerState;
  readonly rows: readonly SessionRow[];
  readonly evalRows: readonly EvalRow[];
  readonly evalHistory: readonly number[];
  readonly lastLoss: number | null;
  readonly lastRowFrame: number;
  readonly lastRowTime: number;
  readonly nextLog: number;
  readonly nextEval: number;
  readonly nextCheckpoint: number;
  /** The best checkpoint's value so far; null before the first. */
  readonly best: number | null;
  /** The observations the next action is chosen from ([numEnvs * obsSize]). */
  readonly obs: readonly number[];
  readonly env: EnvSnapshot;
  readonly evalEnv: EnvSnapshot | null;
  readonly tensorboard: TensorBoardPosition | null;
  /** The step loop had reached `env.max_frame` (only the end of the session was left). */
  readonly done: boolean;
}

/** A resume checkpoint as read back: the agent's state, env statistics and the session's record. */
export interface ResumeCheckpoint {
  readonly dir: string;
  readonly state: AgentState;
  readonly info: CheckpointInfo;
  readonly envStats: NormalizationState | null;
  readonly session: SessionResumeState;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number';
const isNumOrNull = (x: unknown): boolean => x === null || isNum(x);
const isNumList = (x: unknown): boolean => Array.isArray(x) && x.every(isNum);

/** The kind each field must have; deeper parts are checked by the objects that take them back. */
const FIELDS: Readonly<Record<keyof SessionResumeState, (x: unknown) => boolean>> = {
  version: (x) => x === RESUME_VERSION,
  clock: (x) => isRecord(x) && isNum(x.frame) && isNum(x.episodes) && isNum(x.optSteps) && isNum(x.wallTime),
  returns: (x) => isRecord(x) && isNumList(x.ring) && isNum(x.count) && isNum(x.next) && isNum(x.sinceSum) && isNum(x.sinceCount) && isNumOrNull(x.last),
  rows: (x) => Array.isArray(x) && x.every(isRecord),
  evalRows: (x) => Array.isArray(x) && x.every(isRecord),
  evalHistory: isNumList,
  lastLoss: isNumOrNull,
  lastRowFrame: isNum,
  lastRowTime: isNum,
  nextLog: isNum,
  nextEval: isNum,
  nextCheckpoint: isNum,
  best: isNumOrNull,
  obs: isNumList,
  env: isRecord,
  evalEnv: (x) => x === null || isRecord(x),
  tensorboard: (x) => x === null || (isRecord(x) && typeof x.file === 'string' && isNum(x.bytes) && isNumList(x.actions) && (x.lastStats === null || isRecord(x.lastStats))),
  done: (x) => typeof x === 'boolean',
};

/** Checks a checkpoint's `resume` field; a `CheckpointError` naming the checkpoint and the field otherwise. */
export function parseResumeState(x: unknown, where: string): SessionResumeState {
  if (!isRecord(x)) throw new CheckpointError(`${where}: holds no resume record (saved by a run that cannot be resumed)`);
  if (typeof x.unsupported === 'string') throw new CheckpointError(`${where}: this run cannot be resumed: ${x.unsupported}`);
  for (const [key, ok] of Object.entries(FIELDS)) {
    if (!ok(x[key])) {
      const what = key === 'version' ? `resume.version ${String(x.version)} (this build reads ${RESUME_VERSION})` : `resume.${key} is missing or malformed`;
      throw new CheckpointError(`${where}: ${what}`);
    }
  }
  if (typeof x.tensorboard === 'object' && x.tensorboard !== null && !/^events\.out\.tfevents\.[^/\\]+$/.test((x.tensorboard as { file: string }).file)) {
    throw new CheckpointError(`${where}: resume.tensorboard.file must be an event file name in the session's tensorboard folder`);
  }
  return x as unknown as SessionResumeState;
}

const partialDir = (latest: string): string => `${latest}.partial`;
const previousDir = (latest: string): string => `${latest}.previous`;

/** Replaces `<session>/checkpoints/latest/` whole with a resume checkpoint (see the module comment). */
export function writeResumeCheckpoint(sessionFolder: string, state: AgentState, info: CheckpointInfo, envStats: NormalizationState | null, session: SessionResumeState, opts: SaveCheckpointOptions = {}): void {
  const latest = checkpointDir(sessionFolder, 'latest');
  const partial = partialDir(latest);
  const previous = previousDir(latest);
  rmSync(partial, { recursive: true, force: true });
  try {
    saveCheckpoint(partial, state, info, envStats, { ...opts, resume: session });
  } catch (err) {
    rmSync(partial, { recursive: true, force: true }); // a full disk: `latest` stays the last whole one
    throw err;
  }
  const io = opts.io ?? nodeWriteIo;
  const rename = (from: string, to: string): void => {
    try {
      io.renameSync(from, to);
    } catch (err) {
      throw writeErrorOf(to, err);
    }
  };
  if (existsSync(latest)) {
    rmSync(previous, { recursive: true, force: true });
    rename(latest, previous);
  }
  rename(partial, latest);
  // the new `latest` entry is on disk before the previous checkpoint goes
  syncDir(dirname(latest), io);
  rmSync(previous, { recursive: true, force: true });
}

/**
 * The session's last whole resume checkpoint (`latest`, else `latest.previous` left by a kill in
 * the middle of a replacement); null when there is none. A checkpoint that exists but does not
 * load, or holds no resume record, throws `CheckpointError` (one line).
 */
export function readResumeCheckpoint(sessionFolder: string): ResumeCheckpoint | null {
  const latest = checkpointDir(sessionFolder, 'latest');
  let firstError: unknown = null;
  for (const dir of [latest, previousDir(latest)]) {
    if (!existsSync(dir)) continue;
    try {
      const { state, info, envStats, resume } = loadCheckpoint(dir, { root: sessionFolder });
      return { dir, state, info, envStats, session: parseResumeState(resume, dir) };
    } catch (err) {
      firstError ??= err;
    }
  }
  if (firstError !== null) throw firstError;
  return null;
}
