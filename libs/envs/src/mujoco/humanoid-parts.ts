/**
 * What Humanoid-v5 and HumanoidStandup-v5 share (Gymnasium 1.4.0): the observation qpos[2:] (all
 * of qpos with `exclude_current_positions_from_observation: false`), qvel, then, each optional,
 * cinert and cvel of bodies 1.., qfrc_actuator[6:] and cfrc_ext of bodies 1..; and the info's
 * position and tendon entries.
 */
import type { Info } from '../core.js';
import type { KwargReader } from './kwargs.js';
import type { DataViews } from './runtime.js';

export const HUMANOID_OBS_KWARGS = [
  'reset_noise_scale',
  'exclude_current_positions_from_observation',
  'include_cinert_in_observation',
  'include_cvel_in_observation',
  'include_qfrc_actuator_in_observation',
  'include_cfrc_ext_in_observation',
] as const;

export interface HumanoidObservation {
  readonly skip: number;
  readonly cinert: boolean;
  readonly cvel: boolean;
  readonly qfrcActuator: boolean;
  readonly cfrcExt: boolean;
}

const NQ = 24;
const NV = 23;
const NBODY = 14;

export function readHumanoidObservation(k: KwargReader): HumanoidObservation {
  return {
    skip: k.boolean('exclude_current_positions_from_observation', true) ? 2 : 0,
    cinert: k.boolean('include_cinert_in_observation', true),
    cvel: k.boolean('include_cvel_in_observation', true),
    qfrcActuator: k.boolean('include_qfrc_actuator_in_observation', true),
    cfrcExt: k.boolean('include_cfrc_ext_in_observation', true),
  };
}

export function humanoidObsSize(o: HumanoidObservation): number {
  const bodies = NBODY - 1;
  return NQ - o.skip + NV + (o.cinert ? 10 * bodies : 0) + (o.cvel ? 6 * bodies : 0) + (o.qfrcActuator ? NV - 6 : 0) + (o.cfrcExt ? 6 * bodies : 0);
}

export function writeHumanoidObservation(o: HumanoidObservation, v: DataViews, out: Float64Array): void {
  let j = 0;
  const copy = (src: Float64Array, from: number): void => {
    for (let i = from; i < src.length; i++) out[j++] = src[i];
  };
  copy(v.qpos, o.skip);
  copy(v.qvel, 0);
  if (o.cinert) copy(v.cinert, 10);
  if (o.cvel) copy(v.cvel, 6);
  if (o.qfrcActuator) copy(v.qfrcActuator, 6);
  if (o.cfrcExt) copy(v.cfrcExt, 6);
}

/** Tendon lengths and velocities (copies), as both envs report them. */
export function humanoidTendonInfo(v: DataViews): Info {
  return {
    tendon_length: Array.from(v.tenLength),
    tendon_velocity: Array.from(v.tenVelocity),
  };
}

/** `min(max(x, lo), hi)` (numpy's clip of a scalar). */
export function clip(x: number, [lo, hi]: readonly [number, number]): number {
  return Math.min(Math.max(x, lo), hi);
}
