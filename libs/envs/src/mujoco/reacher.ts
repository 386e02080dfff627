/**
 * Reacher-v5 (Gymnasium 1.4.0): move the fingertip of a two-link arm to a random target.
 * Observation [cos, sin of the two joint angles, target x, y, the two joint velocities,
 * fingertip - target (x, y)] (10); reward -|fingertip - target| * reward_dist_weight -
 * |action|^2 * reward_control_weight; never terminates (50-step time limit).
 */
import type { Rng } from '@gymlab/random';
import type { EnvKwargs } from '../registry.js';
import { ArmEnv } from './arm-env.js';
import { KwargReader } from './kwargs.js';

export const REACHER_KWARGS = ['xml_file', 'frame_skip', 'reward_dist_weight', 'reward_control_weight'] as const;

export class Reacher extends ArmEnv {
  constructor(kwargs: EnvKwargs = {}) {
    super(new KwargReader('Reacher-v5', kwargs, REACHER_KWARGS), {
      xmlFile: 'reacher.xml', frameSkip: 2, obsSize: 10, rewardThreshold: -3.75,
      distWeight: 1, controlWeight: 1, distBodies: ['fingertip', 'target'],
    });
  }

  /** qpos = init + uniform(-0.1, 0.1); a goal drawn uniform(-0.2, 0.2)^2 until inside radius 0.2; the target at rest. */
  protected override resetModel(rng: Rng): void {
    const qpos = this.scratchQpos();
    const n = qpos.length;
    for (let i = 0; i < n; i++) qpos[i] = rng.uniform(-0.1, 0.1) + this.initQpos[i];
    [qpos[n - 2], qpos[n - 1]] = this.drawPoint(rng, [-0.2, 0.2], [-0.2, 0.2], (x, y) => Math.hypot(x, y) < 0.2);
    this.setStateWithSmallVelocity(rng, qpos, 2);
  }

  /** fingertip - target along one axis. */
  private delta(axis: number): number {
    return this.v.xpos[3 * this.distFrom + axis] - this.v.xpos[3 * this.distTo + axis];
  }

  protected observe(out: Float64Array): void {
    const { qpos, qvel } = this.v;
    out[0] = Math.cos(qpos[0]);
    out[1] = Math.cos(qpos[1]);
    out[2] = Math.sin(qpos[0]);
    out[3] = Math.sin(qpos[1]);
    out[4] = qpos[2];
    out[5] = qpos[3];
    out[6] = qvel[0];
    out[7] = qvel[1];
    out[8] = this.delta(0);
    out[9] = this.delta(1);
  }
}
