/**
 * Swimmer-v5 (Gymnasium 1.4.0): swim forward in a viscous fluid. Observation qpos[2:] (all of
 * qpos with `exclude_current_positions_from_observation: false`) and qvel; reward forward velocity
 * * weight - ctrl_cost_weight * |action|^2; never terminates. Reset noise uniform on qpos and qvel.
 */
import type { EnvKwargs } from '../registry.js';
import { KwargReader } from './kwargs.js';
import { LOCOMOTION_KWARGS, LocomotionEnv } from './locomotion-env.js';

export const SWIMMER_KWARGS = LOCOMOTION_KWARGS;

export class Swimmer extends LocomotionEnv {
  constructor(kwargs: EnvKwargs = {}) {
    super(new KwargReader('Swimmer-v5', kwargs, SWIMMER_KWARGS), {
      xmlFile: 'swimmer.xml', frameSkip: 4, rewardThreshold: 360, rootPositions: 2,
      forwardRewardWeight: 1, ctrlCostWeight: 1e-4, resetNoiseScale: 0.1, qvelNoise: 'uniform',
    });
  }
}
