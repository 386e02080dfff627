/**
 * HalfCheetah-v5 (Gymnasium 1.4.0): run forward. Observation qpos[1:] (all of qpos with
 * `exclude_current_positions_from_observation: false`) and qvel, unclipped; reward forward
 * velocity * weight - ctrl_cost_weight * |action|^2; never terminates. Reset noise: uniform on
 * qpos, scale * standard normal on qvel (numpy's ziggurat, as Gymnasium draws it).
 */
import type { EnvKwargs } from '../registry.js';
import { KwargReader } from './kwargs.js';
import { LOCOMOTION_KWARGS, LocomotionEnv } from './locomotion-env.js';

export const HALF_CHEETAH_KWARGS = LOCOMOTION_KWARGS;

export class HalfCheetah extends LocomotionEnv {
  constructor(kwargs: EnvKwargs = {}) {
    super(new KwargReader('HalfCheetah-v5', kwargs, HALF_CHEETAH_KWARGS), {
      xmlFile: 'half_cheetah.xml', frameSkip: 5, rewardThreshold: 4800, rootPositions: 1,
      forwardRewardWeight: 1, ctrlCostWeight: 0.1, resetNoiseScale: 0.1, qvelNoise: 'normal',
    });
  }
}
