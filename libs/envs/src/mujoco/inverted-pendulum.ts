/**
 * InvertedPendulum-v5 (Gymnasium 1.4.0): keep the pole upright by pushing the cart. Observation
 * [qpos, qvel] (4); reward 1 per step while |pole angle| <= 0.2, which is also the termination
 * rule (or a non-finite observation).
 */
import type { EnvKwargs } from '../registry.js';
import type { Info } from '../core.js';
import { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';

export const INVERTED_PENDULUM_KWARGS = ['xml_file', 'frame_skip', 'reset_noise_scale'] as const;

export class InvertedPendulum extends MujocoEnv {
  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('InvertedPendulum-v5', kwargs, INVERTED_PENDULUM_KWARGS);
    super(k, { xmlFile: 'inverted_pendulum.xml', frameSkip: 2, obsSize: 4, rewardThreshold: 950, resetNoiseScale: 0.01 });
  }

  protected observe(out: Float64Array): void {
    out.set(this.v.qpos, 0);
    out.set(this.v.qvel, 2);
  }

  protected afterStep(): [number, boolean, Info] {
    const obs = this.observation64;
    const terminated = !obs.every(Number.isFinite) || Math.abs(obs[1]) > 0.2;
    const reward = terminated ? 0 : 1;
    return [reward, terminated, { reward_survive: reward }];
  }
}
