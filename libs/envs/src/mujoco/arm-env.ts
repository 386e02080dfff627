/**
 * What Reacher-v5 and Pusher-v5 share (Gymnasium 1.4.0): an arm rewarded for bringing one body to
 * another, reward_dist = -|xpos[a] - xpos[b]| * `reward_dist_weight` (Reacher: fingertip to
 * target; Pusher: object to goal) and reward_ctrl = -|action|^2 * `reward_control_weight` (the
 * float32 action, as numpy sums it); a reset that draws the target's (object's) position by
 * rejection and gives qvel uniform(-0.005, 0.005) noise with the free bodies at rest. Never
 * terminates (the time limit ends episodes).
 */
import type { Rng } from '@gymlab/random';
import type { Info } from '../core.js';
import { controlCost } from './float32.js';
import type { KwargReader } from './kwargs.js';
import { MujocoEnv, type MujocoEnvConfig } from './mujoco-env.js';

export interface ArmConfig extends MujocoEnvConfig {
  /** Defaults of `reward_dist_weight` and `reward_control_weight`. */
  readonly distWeight: number;
  readonly controlWeight: number;
  /** The two bodies whose distance reward_dist takes. */
  readonly distBodies: readonly [string, string];
}

type Range = readonly [number, number];

export abstract class ArmEnv extends MujocoEnv {
  /** Body indices of `distBodies`. */
  protected readonly distFrom: number;
  protected readonly distTo: number;
  private readonly distWeight: number;
  private readonly controlWeight: number;

  protected constructor(k: KwargReader, c: ArmConfig) {
    super(k, c);
    this.distWeight = k.number('reward_dist_weight', c.distWeight);
    this.controlWeight = k.number('reward_control_weight', c.controlWeight);
    this.distFrom = this.bodyIndex(c.distBodies[0]);
    this.distTo = this.bodyIndex(c.distBodies[1]);
  }

  /** Euclidean distance between the centres of bodies a and b (numpy's norm of the difference). */
  protected distance(a: number, b: number): number {
    const x = this.v.xpos;
    return Math.sqrt((x[3 * a] - x[3 * b]) ** 2 + (x[3 * a + 1] - x[3 * b + 1]) ** 2 + (x[3 * a + 2] - x[3 * b + 2]) ** 2);
  }

  /** (x, y) drawn uniform in the box, again until `accept` (x drawn first, as numpy draws a pair). */
  protected drawPoint(rng: Rng, xRange: Range, yRange: Range, accept: (x: number, y: number) => boolean): [number, number] {
    for (;;) {
      const x = rng.uniform(xRange[0], xRange[1]);
      const y = rng.uniform(yRange[0], yRange[1]);
      if (accept(x, y)) return [x, y];
    }
  }

  /** Sets qpos, with qvel = init_qvel + uniform(-0.005, 0.005) and its last `still` entries 0 (Gymnasium's `set_state`). */
  protected setStateWithSmallVelocity(rng: Rng, qpos: Float64Array, still: number): void {
    const qvel = this.scratchQvel();
    for (let i = 0; i < qvel.length; i++) qvel[i] = this.initQvel[i] + rng.uniform(-0.005, 0.005);
    qvel.fill(0, qvel.length - still);
    this.applyState(qpos, qvel);
  }

  protected afterStep(action: Float32Array): [reward: number, terminated: boolean, info: Info] {
    const rewardDist = -this.distance(this.distFrom, this.distTo) * this.distWeight;
    const rewardCtrl = -controlCost(this.controlWeight, action);
    return [rewardDist + rewardCtrl, false, { reward_dist: rewardDist, reward_ctrl: rewardCtrl }];
  }
}
