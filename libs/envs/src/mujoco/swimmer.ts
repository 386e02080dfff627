/**
 * Swimmer-v5 (Gymnasium 1.4.0): swim forward in a viscous fluid. Observation qpos[2:] (all of
 * qpos with `exclude_current_positions_from_observation: false`) and qvel; reward forward velocity
 * * weight - ctrl_cost_weight * |action|^2; never terminates.
 */
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { controlCost } from './float32.js';
import { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';
import { SWIMMER_MJCF } from './models/swimmer.js';

export const SWIMMER_KWARGS = [
  'xml_file',
  'frame_skip',
  'forward_reward_weight',
  'ctrl_cost_weight',
  'reset_noise_scale',
  'exclude_current_positions_from_observation',
] as const;

export class Swimmer extends MujocoEnv {
  private readonly forwardWeight: number;
  private readonly ctrlWeight: number;
  private readonly noiseScale: number;
  private readonly skip: number;
  private xBefore = 0;
  private yBefore = 0;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('Swimmer-v5', kwargs, SWIMMER_KWARGS);
    const [mjcf, source] = k.xmlFile('swimmer.xml', SWIMMER_MJCF);
    const exclude = k.boolean('exclude_current_positions_from_observation', true);
    super({ id: 'Swimmer-v5', mjcf, source, frameSkip: k.positiveInt('frame_skip', 4), obsSize: 10 - (exclude ? 2 : 0), rewardThreshold: 360 });
    this.skip = exclude ? 2 : 0;
    this.forwardWeight = k.number('forward_reward_weight', 1);
    this.ctrlWeight = k.number('ctrl_cost_weight', 1e-4);
    this.noiseScale = k.nonNegative('reset_noise_scale', 0.1);
  }

  protected override resetNoiseScale(): number {
    return this.noiseScale;
  }

  protected override beforeStep(): void {
    this.xBefore = this.v.qpos[0];
    this.yBefore = this.v.qpos[1];
  }

  protected observe(out: Float64Array): void {
    this.writeQposQvel(out, this.skip);
  }

  protected afterStep(action: Float32Array): [number, boolean, Info] {
    const xVelocity = (this.v.qpos[0] - this.xBefore) / this.dt;
    const yVelocity = (this.v.qpos[1] - this.yBefore) / this.dt;
    const forward = this.forwardWeight * xVelocity;
    const ctrlCost = controlCost(this.ctrlWeight, action);
    return [
      forward - ctrlCost,
      false,
      {
        ...this.planePositionInfo(),
        x_velocity: xVelocity,
        y_velocity: yVelocity,
        reward_forward: forward,
        reward_ctrl: -ctrlCost,
      },
    ];
  }

  protected override resetInfo(): Info {
    return this.planePositionInfo();
  }
}
