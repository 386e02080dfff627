/**
 * HalfCheetah-v5 (Gymnasium 1.4.0): run forward. Observation qpos[1:] (all of qpos with
 * `exclude_current_positions_from_observation: false`) and qvel, unclipped; reward forward
 * velocity * weight - ctrl_cost_weight * |action|^2; never terminates. Reset noise: uniform on
 * qpos, scale * standard normal on qvel (gymlab's normal generator, not numpy's ziggurat).
 */
import type { Rng } from '@gymlab/random';
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { controlCost } from './float32.js';
import { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';
import { HALF_CHEETAH_MJCF } from './models/half-cheetah.js';

export const HALF_CHEETAH_KWARGS = [
  'xml_file',
  'frame_skip',
  'forward_reward_weight',
  'ctrl_cost_weight',
  'reset_noise_scale',
  'exclude_current_positions_from_observation',
] as const;

export class HalfCheetah extends MujocoEnv {
  private readonly forwardWeight: number;
  private readonly ctrlWeight: number;
  private readonly noiseScale: number;
  private readonly skipX: number;
  private xBefore = 0;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('HalfCheetah-v5', kwargs, HALF_CHEETAH_KWARGS);
    const [mjcf, source] = k.xmlFile('half_cheetah.xml', HALF_CHEETAH_MJCF);
    const exclude = k.boolean('exclude_current_positions_from_observation', true);
    super({ id: 'HalfCheetah-v5', mjcf, source, frameSkip: k.positiveInt('frame_skip', 5), obsSize: 18 - (exclude ? 1 : 0), rewardThreshold: 4800 });
    this.skipX = exclude ? 1 : 0;
    this.forwardWeight = k.number('forward_reward_weight', 1);
    this.ctrlWeight = k.number('ctrl_cost_weight', 0.1);
    this.noiseScale = k.nonNegative('reset_noise_scale', 0.1);
  }

  protected override resetModel(rng: Rng): void {
    this.resetWithNoise(rng, this.noiseScale, 'normal');
  }

  protected override beforeStep(): void {
    this.xBefore = this.v.qpos[0];
  }

  protected observe(out: Float64Array): void {
    this.writeQposQvel(out, this.skipX);
  }

  protected afterStep(action: Float32Array): [number, boolean, Info] {
    const x = this.v.qpos[0];
    const xVelocity = (x - this.xBefore) / this.dt;
    const forward = this.forwardWeight * xVelocity;
    const ctrlCost = controlCost(this.ctrlWeight, action);
    return [forward - ctrlCost, false, { x_position: x, x_velocity: xVelocity, reward_forward: forward, reward_ctrl: -ctrlCost }];
  }

  protected override resetInfo(): Info {
    return { x_position: this.v.qpos[0] };
  }
}

