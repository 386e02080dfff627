/**
 * Hopper-v5 (Gymnasium 1.4.0): hop forward on one leg. Observation qpos[1:] (or all of qpos with
 * `exclude_current_positions_from_observation: false`) and qvel clipped to [-10, 10]; reward
 * forward velocity * weight + healthy reward - ctrl_cost_weight * |action|^2; terminates when
 * unhealthy (z, torso angle or any other state outside its range).
 */
import type { EnvKwargs } from '../registry.js';
import { KwargReader } from './kwargs.js';
import { PlanarWalker, PLANAR_WALKER_KWARGS } from './planar-walker.js';

export const HOPPER_KWARGS = [...PLANAR_WALKER_KWARGS, 'healthy_state_range'] as const;

export class Hopper extends PlanarWalker {
  private readonly stateRange: readonly [number, number];

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('Hopper-v5', kwargs, HOPPER_KWARGS);
    super(k, { xmlFile: 'hopper.xml', rewardThreshold: 3800, healthyZRange: [0.7, Infinity], healthyAngleRange: [-0.2, 0.2] });
    this.stateRange = k.range('healthy_state_range', [-100, 100]);
  }

  /** z and torso angle in range, and every entry of [qpos[2:], qvel] strictly inside the state range. */
  protected override isHealthy(): boolean {
    if (!super.isHealthy()) return false;
    const [lo, hi] = this.stateRange;
    const { qpos, qvel } = this.v;
    for (let i = 2; i < qpos.length; i++) if (!(lo < qpos[i] && qpos[i] < hi)) return false;
    for (let i = 0; i < qvel.length; i++) if (!(lo < qvel[i] && qvel[i] < hi)) return false;
    return true;
  }
}
