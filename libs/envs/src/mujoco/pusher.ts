/**
 * Pusher-v5 (Gymnasium 1.4.0): push a cylinder to a goal with a seven-joint arm. Observation
 * [qpos[:7], qvel[:7], tip, object and goal positions] (23); reward -|object - goal| *
 * reward_dist_weight - |object - tip| * reward_near_weight - |action|^2 * reward_control_weight;
 * never terminates (100-step time limit).
 */
import type { Rng } from '@gymlab/random';
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { controlCost } from './float32.js';
import { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';
import { PUSHER_MJCF } from './models/pusher.js';
import { bodyId } from './runtime.js';

export const PUSHER_KWARGS = ['xml_file', 'frame_skip', 'reward_near_weight', 'reward_dist_weight', 'reward_control_weight'] as const;

export class Pusher extends MujocoEnv {
  private readonly nearWeight: number;
  private readonly distWeight: number;
  private readonly ctrlWeight: number;
  private readonly tips: number;
  private readonly object: number;
  private readonly goal: number;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('Pusher-v5', kwargs, PUSHER_KWARGS);
    const [mjcf, source] = k.xmlFile('pusher_v5.xml', PUSHER_MJCF);
    super({ id: 'Pusher-v5', mjcf, source, frameSkip: k.positiveInt('frame_skip', 5), obsSize: 23, rewardThreshold: 0 });
    this.nearWeight = k.number('reward_near_weight', 0.5);
    this.distWeight = k.number('reward_dist_weight', 1);
    this.ctrlWeight = k.number('reward_control_weight', 0.1);
    this.tips = bodyId(this.model, 'tips_arm', source);
    this.object = bodyId(this.model, 'object', source);
    this.goal = bodyId(this.model, 'goal', source);
  }

  /** The arm at init_qpos; the cylinder drawn (x uniform(-0.3, 0), y uniform(-0.2, 0.2)) until farther than 0.17 from the goal at 0; qvel = init + uniform(-0.005, 0.005), cylinder and goal at rest. */
  protected override resetModel(rng: Rng): void {
    const qpos = this.scratchQpos();
    const qvel = this.scratchQvel();
    qpos.set(this.initQpos);
    let cx: number;
    let cy: number;
    do {
      cx = rng.uniform(-0.3, 0);
      cy = rng.uniform(-0.2, 0.2);
    } while (!(Math.hypot(cx, cy) > 0.17));
    const n = qpos.length;
    qpos[n - 4] = cx;
    qpos[n - 3] = cy;
    qpos[n - 2] = 0;
    qpos[n - 1] = 0;
    for (let i = 0; i < qvel.length; i++) qvel[i] = this.initQvel[i] + rng.uniform(-0.005, 0.005);
    qvel.fill(0, qvel.length - 4);
    this.applyState(qpos, qvel);
  }

  protected observe(out: Float64Array): void {
    const { qpos, qvel, xpos } = this.v;
    for (let i = 0; i < 7; i++) {
      out[i] = qpos[i];
      out[7 + i] = qvel[i];
    }
    for (let a = 0; a < 3; a++) {
      out[14 + a] = xpos[3 * this.tips + a];
      out[17 + a] = xpos[3 * this.object + a];
      out[20 + a] = xpos[3 * this.goal + a];
    }
  }

  private distance(from: number, to: number): number {
    const x = this.v.xpos;
    return Math.sqrt((x[3 * from] - x[3 * to]) ** 2 + (x[3 * from + 1] - x[3 * to + 1]) ** 2 + (x[3 * from + 2] - x[3 * to + 2]) ** 2);
  }

  protected afterStep(action: Float32Array): [number, boolean, Info] {
    const rewardNear = -this.distance(this.object, this.tips) * this.nearWeight;
    const rewardDist = -this.distance(this.object, this.goal) * this.distWeight;
    const rewardCtrl = -controlCost(this.ctrlWeight, action);
    return [rewardDist + rewardCtrl + rewardNear, false, { reward_dist: rewardDist, reward_ctrl: rewardCtrl, reward_near: rewardNear }];
  }
}
