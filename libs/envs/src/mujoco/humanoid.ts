/**
 * Humanoid-v5 (Gymnasium 1.4.0): walk forward without falling. Observation as
 * `humanoid-parts.ts` (348 by default); reward forward velocity of the centre of mass * weight +
 * healthy reward - ctrl_cost_weight * |ctrl|^2 - contact cost (contact_cost_weight * |cfrc_ext|^2
 * clipped to contact_cost_range); terminates when the torso z leaves (1, 2).
 */
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { sumSquaresF64 } from './float32.js';
import { HUMANOID_OBS_KWARGS, clip, humanoidObsSize, humanoidTendonInfo, readHumanoidObservation, writeHumanoidObservation, type HumanoidObservation } from './humanoid-parts.js';
import { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';
import { HUMANOID_MJCF } from './models/humanoid.js';

export const HUMANOID_KWARGS = [
  'xml_file',
  'frame_skip',
  'forward_reward_weight',
  'ctrl_cost_weight',
  'contact_cost_weight',
  'contact_cost_range',
  'healthy_reward',
  'terminate_when_unhealthy',
  'healthy_z_range',
  ...HUMANOID_OBS_KWARGS,
] as const;

export class Humanoid extends MujocoEnv {
  private readonly forwardWeight: number;
  private readonly ctrlWeight: number;
  private readonly contactWeight: number;
  private readonly contactRange: readonly [number, number];
  private readonly healthyRewardValue: number;
  private readonly terminateWhenUnhealthy: boolean;
  private readonly zRange: readonly [number, number];
  private readonly noiseScale: number;
  private readonly obs: HumanoidObservation;
  private readonly mass: Float64Array;
  private readonly totalMass: number;
  private xBefore = 0;
  private yBefore = 0;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('Humanoid-v5', kwargs, HUMANOID_KWARGS);
    const [mjcf, source] = k.xmlFile('humanoid.xml', HUMANOID_MJCF);
    const obs = readHumanoidObservation(k);
    super({ id: 'Humanoid-v5', mjcf, source, frameSkip: k.positiveInt('frame_skip', 5), obsSize: humanoidObsSize(obs), rewardThreshold: null });
    this.obs = obs;
    this.forwardWeight = k.number('forward_reward_weight', 1.25);
    this.ctrlWeight = k.number('ctrl_cost_weight', 0.1);
    this.contactWeight = k.number('contact_cost_weight', 5e-7);
    this.contactRange = k.range('contact_cost_range', [-Infinity, 10]);
    this.healthyRewardValue = k.number('healthy_reward', 5);
    this.terminateWhenUnhealthy = k.boolean('terminate_when_unhealthy', true);
    this.zRange = k.range('healthy_z_range', [1, 2]);
    this.noiseScale = k.nonNegative('reset_noise_scale', 0.01);
    this.mass = Float64Array.from(this.model.body_mass as Float64Array);
    this.totalMass = this.mass.reduce((a, b) => a + b, 0);
  }

  protected override resetNoiseScale(): number {
    return this.noiseScale;
  }

  /** Gymnasium's `mass_center`: the mass-weighted mean of the bodies' centres of mass, x or y. */
  private massCenter(axis: number): number {
    let s = 0;
    for (let b = 0; b < this.mass.length; b++) s += this.mass[b] * this.v.xipos[3 * b + axis];
    return s / this.totalMass;
  }

  protected override beforeStep(): void {
    this.xBefore = this.massCenter(0);
    this.yBefore = this.massCenter(1);
  }

  protected observe(out: Float64Array): void {
    writeHumanoidObservation(this.obs, this.v, out);
  }

  protected afterStep(): [number, boolean, Info] {
    const xVelocity = (this.massCenter(0) - this.xBefore) / this.dt;
    const yVelocity = (this.massCenter(1) - this.yBefore) / this.dt;
    const z = this.v.qpos[2];
    const healthy = this.zRange[0] < z && z < this.zRange[1];
    const forward = this.forwardWeight * xVelocity;
    const survive = healthy ? this.healthyRewardValue : 0;
    const ctrlCost = this.ctrlWeight * sumSquaresF64(this.v.ctrl);
    const contactCost = clip(this.contactWeight * sumSquaresF64(this.v.cfrcExt), this.contactRange);
    const reward = forward + survive - (ctrlCost + contactCost);
    return [
      reward,
      !healthy && this.terminateWhenUnhealthy,
      {
        ...this.resetInfo(),
        x_velocity: xVelocity,
        y_velocity: yVelocity,
        reward_survive: survive,
        reward_forward: forward,
        reward_ctrl: -ctrlCost,
        reward_contact: -contactCost,
      },
    ];
  }

  protected override resetInfo(): Info {
    return { ...this.planePositionInfo(), ...humanoidTendonInfo(this.v) };
  }
}
