/**
 * Pusher-v5 (Gymnasium 1.4.0): push a cylinder to a goal with a seven-joint arm. Observation
 * [qpos[:7], qvel[:7], tip, object and goal positions] (23); reward -|object - goal| *
 * reward_dist_weight - |action|^2 * reward_control_weight - |object - tip| * reward_near_weight;
 * never terminates (100-step time limit).
 */
import type { Rng } from '@gymlab/random';
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { ArmEnv } from './arm-env.js';
import { KwargReader } from './kwargs.js';

export const PUSHER_KWARGS = ['xml_file', 'frame_skip', 'reward_near_weight', 'reward_dist_weight', 'reward_control_weight'] as const;

export class Pusher extends ArmEnv {
  private readonly nearWeight: number;
  private readonly tips: number;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('Pusher-v5', kwargs, PUSHER_KWARGS);
    super(k, {
      xmlFile: 'pusher_v5.xml', frameSkip: 5, obsSize: 23, rewardThreshold: 0,
      distWeight: 1, controlWeight: 0.1, distBodies: ['object', 'goal'],
    });
    this.nearWeight = k.number('reward_near_weight', 0.5);
    this.tips = this.bodyIndex('tips_arm');
  }

  /** The arm at init_qpos; the cylinder drawn (x uniform(-0.3, 0), y uniform(-0.2, 0.2)) until farther than 0.17 from the goal at 0; cylinder and goal at rest. */
  protected override resetModel(rng: Rng): void {
    const qpos = this.scratchQpos();
    const n = qpos.length;
    qpos.set(this.initQpos);
    [qpos[n - 4], qpos[n - 3]] = this.drawPoint(rng, [-0.3, 0], [-0.2, 0.2], (x, y) => Math.hypot(x, y) > 0.17);
    qpos[n - 2] = 0;
    qpos[n - 1] = 0;
    this.setStateWithSmallVelocity(rng, qpos, 4);
  }

  protected observe(out: Float64Array): void {
    const { qpos, qvel, xpos } = this.v;
    for (let i = 0; i < 7; i++) {
      out[i] = qpos[i];
      out[7 + i] = qvel[i];
    }
    for (let a = 0; a < 3; a++) {
      out[14 + a] = xpos[3 * this.tips + a];
      out[17 + a] = xpos[3 * this.distFrom + a];
      out[20 + a] = xpos[3 * this.distTo + a];
    }
  }

  /** reward_dist + reward_ctrl, plus reward_near = -|object - tip| * reward_near_weight. */
  protected override afterStep(action: Float32Array): [number, boolean, Info] {
    const [reward, terminated, info] = super.afterStep(action);
    const rewardNear = -this.distance(this.distFrom, this.tips) * this.nearWeight;
    return [reward + rewardNear, terminated, { ...info, reward_near: rewardNear }];
  }
}
