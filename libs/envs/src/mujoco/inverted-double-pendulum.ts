/**
 * InvertedDoublePendulum-v5 (Gymnasium 1.4.0): balance two poles on a cart. Observation [cart x,
 * sin and cos of both pole angles, qvel and the cart's constraint force clipped to +/-10] (9);
 * reward healthy_reward - 0.01 x^2 - (y - 2)^2 - 0.001 v1^2 - 0.005 v2^2 at the tip (x, y);
 * terminates when the tip is at y <= 1. Reset noise: uniform on qpos, scale * standard normal on
 * qvel (numpy's ziggurat, as Gymnasium draws it).
 */
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';

export const INVERTED_DOUBLE_PENDULUM_KWARGS = ['xml_file', 'frame_skip', 'healthy_reward', 'reset_noise_scale'] as const;

const clip10 = (x: number): number => Math.min(Math.max(x, -10), 10);

export class InvertedDoublePendulum extends MujocoEnv {
  private readonly healthyReward: number;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('InvertedDoublePendulum-v5', kwargs, INVERTED_DOUBLE_PENDULUM_KWARGS);
    super(k, { xmlFile: 'inverted_double_pendulum.xml', frameSkip: 5, obsSize: 9, rewardThreshold: 9100, resetNoiseScale: 0.1, qvelNoise: 'normal' });
    this.healthyReward = k.number('healthy_reward', 10);
  }

  protected observe(out: Float64Array): void {
    const { qpos, qvel, qfrcConstraint } = this.v;
    out[0] = qpos[0];
    out[1] = Math.sin(qpos[1]);
    out[2] = Math.sin(qpos[2]);
    out[3] = Math.cos(qpos[1]);
    out[4] = Math.cos(qpos[2]);
    for (let i = 0; i < 3; i++) out[5 + i] = clip10(qvel[i]);
    out[8] = clip10(qfrcConstraint[0]);
  }

  protected afterStep(): [number, boolean, Info] {
    const x = this.v.siteXpos[0];
    const y = this.v.siteXpos[2];
    const terminated = y <= 1;
    const [v1, v2] = [this.v.qvel[1], this.v.qvel[2]];
    const distPenalty = 0.01 * x ** 2 + (y - 2) ** 2;
    const velPenalty = 0.001 * v1 ** 2 + 0.005 * v2 ** 2;
    const alive = this.healthyReward * (terminated ? 0 : 1);
    return [alive - distPenalty - velPenalty, terminated, { reward_survive: alive, distance_penalty: -distPenalty, velocity_penalty: -velPenalty }];
  }
}
