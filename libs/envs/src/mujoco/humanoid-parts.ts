/**
 * What Humanoid-v5 and HumanoidStandup-v5 share (Gymnasium 1.4.0): after qpos[2:] (all of qpos
 * with `exclude_current_positions_from_observation: false`) and qvel, the observation's optional
 * cinert and cvel of bodies 1.., qfrc_actuator[6:] and cfrc_ext of bodies 1..; the contact
 * (Standup: impact) cost; and the info's tendon entries.
 */
import type { Info } from '../core.js';
import type { KwargReader } from './kwargs.js';
import { clip, type ExtraObservation, type LocomotionConfig } from './locomotion-env.js';
import { sumSquaresF64 } from './float32.js';
import type { DataViews } from './runtime.js';

export const HUMANOID_OBS_KWARGS = [
  'include_cinert_in_observation',
  'include_cvel_in_observation',
  'include_qfrc_actuator_in_observation',
  'include_cfrc_ext_in_observation',
] as const;

/** The body quantities the observation includes (`include_*_in_observation`), each default true. */
export function humanoidBodyObservation(k: KwargReader): ExtraObservation {
  const cinert = k.boolean('include_cinert_in_observation', true);
  const cvel = k.boolean('include_cvel_in_observation', true);
  const qfrcActuator = k.boolean('include_qfrc_actuator_in_observation', true);
  const cfrcExt = k.boolean('include_cfrc_ext_in_observation', true);
  return {
    size: (m) => {
      const bodies = m.nbody - 1;
      return (cinert ? 10 * bodies : 0) + (cvel ? 6 * bodies : 0) + (qfrcActuator ? m.nv - 6 : 0) + (cfrcExt ? 6 * bodies : 0);
    },
    write: (v, out, at) => {
      let j = at;
      const copy = (src: Float64Array, from: number): void => {
        for (let i = from; i < src.length; i++) out[j++] = src[i];
      };
      if (cinert) copy(v.cinert, 10);
      if (cvel) copy(v.cvel, 6);
      if (qfrcActuator) copy(v.qfrcActuator, 6);
      if (cfrcExt) copy(v.cfrcExt, 6);
    },
  };
}

/** The defaults both envs share: model timing, reset noise, x and y left out of the observation, the control cost on `data.ctrl`. */
export const HUMANOID_BODY = { frameSkip: 5, rewardThreshold: null, rootPositions: 2, resetNoiseScale: 0.01, qvelNoise: 'uniform', ctrlCostOn: 'ctrl' } as const satisfies Partial<LocomotionConfig>;

/** weight * |cfrc_ext|^2 (numpy's float64 sum) clipped to the range: Humanoid's contact cost, Standup's impact cost. */
export function clippedContactCost(v: DataViews, weight: number, range: readonly [number, number]): number {
  return clip(weight * sumSquaresF64(v.cfrcExt), range);
}

/** Tendon lengths and velocities (copies), as both envs report them. */
export function humanoidTendonInfo(v: DataViews): Info {
  return {
    tendon_length: Array.from(v.tenLength),
    tendon_velocity: Array.from(v.tenVelocity),
  };
}
