/**
 * Reacher-v5 (Gymnasium 1.4.0): move the fingertip of a two-link arm to a random target.
 * Observation [cos, sin of the two joint angles, target x, y, the two joint velocities,
 * fingertip - target (x, y)] (10); reward -|fingertip - target| * reward_dist_weight -
 * |action|^2 * reward_control_weight; never terminates (50-step time limit).
 */
import type { Rng } from '@gymlab/random';
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { controlCost } from './float32.js';
import { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';
import { REACHER_MJCF } from './models/reacher.js';
import { bodyId } from './runtime.js';

export const REACHER_KWARGS = ['xml_file', 'frame_skip', 'reward_dist_weight', 'reward_control_weight'] as const;

export class Reacher extends MujocoEnv {
  private readonly distWeight: number;
  private readonly ctrlWeight: number;
  private readonly fingertip: number;
  private readonly target: number;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('Reacher-v5', kwargs, REACHER_KWARGS);
    const [mjcf, source] = k.xmlFile('reacher.xml', REACHER_MJCF);
    super({ id: 'Reacher-v5', mjcf, source, frameSkip: k.positiveInt('frame_skip', 2), obsSize: 10, rewardThreshold: -3.75 });
    this.distWeight = k.number('reward_dist_weight', 1);
    this.ctrlWeight = k.number('reward_control_weight', 1);
    this.fingertip = bodyId(this.model, 'fingertip', source);
    this.target = bodyId(this.model, 'target', source);
  }

  /** qpos = init + uniform(-0.1, 0.1); a goal drawn uniform(-0.2, 0.2)^2 until inside radius 0.2; qvel = init + uniform(-0.005, 0.005), target at rest. */
  protected override resetModel(rng: Rng): void {
    const qpos = this.scratchQpos();
    const qvel = this.scratchQvel();
    const n = qpos.length;
    for (let i = 0; i < n; i++) qpos[i] = rng.uniform(-0.1, 0.1) + this.initQpos[i];
    let gx: number;
    let gy: number;
    do {
      gx = rng.uniform(-0.2, 0.2);
      gy = rng.uniform(-0.2, 0.2);
    } while (!(Math.hypot(gx, gy) < 0.2));
    qpos[n - 2] = gx;
    qpos[n - 1] = gy;
    for (let i = 0; i < qvel.length; i++) qvel[i] = this.initQvel[i] + rng.uniform(-0.005, 0.005);
    qvel[qvel.length - 2] = 0;
    qvel[qvel.length - 1] = 0;
    this.applyState(qpos, qvel);
  }

  private delta(axis: number): number {
    return this.v.xpos[3 * this.fingertip + axis] - this.v.xpos[3 * this.target + axis];
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

  protected afterStep(action: Float32Array): [number, boolean, Info] {
    const rewardDist = -Math.sqrt(this.delta(0) ** 2 + this.delta(1) ** 2 + this.delta(2) ** 2) * this.distWeight;
    const rewardCtrl = -controlCost(this.ctrlWeight, action);
    return [rewardDist + rewardCtrl, false, { reward_dist: rewardDist, reward_ctrl: rewardCtrl }];
  }
}
