/**
 * What Hopper-v5 and Walker2d-v5 share (Gymnasium 1.4.0): a planar body with root joints
 * (x, z, angle), forward reward from the root's x velocity, a healthy reward, a float32 control
 * cost, termination when the root's z or angle leaves its range, and the observation qpos (less
 * x) with qvel clipped to +/-10.
 */
import type { Info } from '../core.js';
import type { KwargReader } from './kwargs.js';
import { HEALTHY_KWARGS, LOCOMOTION_KWARGS, LocomotionEnv } from './locomotion-env.js';

export const PLANAR_WALKER_KWARGS = [...LOCOMOTION_KWARGS, ...HEALTHY_KWARGS, 'healthy_angle_range'] as const;

/** What tells Hopper and Walker2d apart. */
export interface PlanarWalkerConfig {
  readonly xmlFile: string;
  readonly rewardThreshold: number | null;
  readonly healthyZRange: readonly [number, number];
  readonly healthyAngleRange: readonly [number, number];
}

export abstract class PlanarWalker extends LocomotionEnv {
  private readonly angleRange: readonly [number, number];

  protected constructor(k: KwargReader, c: PlanarWalkerConfig) {
    super(k, {
      xmlFile: c.xmlFile, frameSkip: 4, rewardThreshold: c.rewardThreshold, rootPositions: 1, velocityBound: 10,
      forwardRewardWeight: 1, ctrlCostWeight: 1e-3, resetNoiseScale: 5e-3, qvelNoise: 'uniform',
      healthy: { reward: 1, zRange: c.healthyZRange },
    });
    this.angleRange = k.range('healthy_angle_range', c.healthyAngleRange);
  }

  /** Root height and torso angle strictly inside their ranges. */
  protected override isHealthy(): boolean {
    const z = this.v.qpos[1];
    const angle = this.v.qpos[2];
    return this.zRange[0] < z && z < this.zRange[1] && this.angleRange[0] < angle && angle < this.angleRange[1];
  }

  protected override resetInfo(): Info {
    return { ...super.resetInfo(), z_distance_from_origin: this.v.qpos[1] - this.initQpos[1] };
  }
}
