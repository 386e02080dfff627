/**
 * Solve targets and the time to reach them. A session "reaches the target" at the first checkpoint
 * whose moving-average return (`return_ma`, the mean of the last 100 episodes) is >= the target.
 */
import type { SessionRow } from '../columns.js';
import { AnalysisError } from '../errors.js';

/**
 * Gymnasium's registered `reward_threshold` per env id (`gymnasium/envs/__init__.py`); null where
 * Gymnasium registers none (Pendulum-v1).
 */
export const ENV_TARGETS: Readonly<Record<string, number | null>> = Object.freeze({
  'CartPole-v1': 475,
  'Acrobot-v1': -100,
  'MountainCar-v0': -110,
  'MountainCarContinuous-v0': 90,
  'Pendulum-v1': null,
  'LunarLander-v3': 200,
});

/** The target return of `envId`, or null when Gymnasium registers none or the env is unknown. */
export function envTarget(envId: string): number | null {
  return Object.prototype.hasOwnProperty.call(ENV_TARGETS, envId) ? ENV_TARGETS[envId] : null;
}

/** The columns the target functions read. */
export type TargetRow = Pick<SessionRow, 'frame' | 'wall_time' | 'return_ma'>;

/**
 * Index i of the first row with `return_ma` non-null and return_ma_i >= target, or -1 if there is
 * none. Throws on a non-finite target.
 */
export function firstIndexAtTarget(rows: readonly TargetRow[], target: number): number {
  if (typeof target !== 'number' || !Number.isFinite(target)) {
    throw new AnalysisError(`firstIndexAtTarget: target ${String(target)} (allowed: a finite number)`);
  }
  for (let i = 0; i < rows.length; i++) {
    const ma = rows[i].return_ma;
    if (ma !== null && ma !== undefined && ma >= target) return i;
  }
  return -1;
}

function columnAtTarget(rows: readonly TargetRow[], target: number, column: 'frame' | 'wall_time', fn: string): number | null {
  const i = firstIndexAtTarget(rows, target);
  if (i < 0) return null;
  const v = rows[i][column];
  if (v === null || v === undefined || !Number.isFinite(v)) {
    throw new AnalysisError(`${fn}: row ${i} reaches the target but its "${column}" is ${String(v)} (allowed: a finite number)`);
  }
  return v;
}

/** `frame` of the first row whose `return_ma` >= target; null if never reached. */
export function framesToTarget(rows: readonly TargetRow[], target: number): number | null {
  return columnAtTarget(rows, target, 'frame', 'framesToTarget');
}

/** `wall_time` (seconds since session start) of the first row whose `return_ma` >= target; null if never reached. */
export function secondsToTarget(rows: readonly TargetRow[], target: number): number | null {
  return columnAtTarget(rows, target, 'wall_time', 'secondsToTarget');
}
