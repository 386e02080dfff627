/**
 * HumanoidStandup-v5 (Gymnasium 1.4.0): stand up from lying on the back. Observation as
 * `humanoid-parts.ts` (348 by default); reward torso z / timestep (uph_cost_weight is taken but,
 * as in Gymnasium 1.4.0, not applied) -
 * ctrl_cost_weight * |ctrl|^2 - impact cost (impact_cost_weight * |cfrc_ext|^2 clipped to
 * impact_cost_range) + 1; never terminates.
 */
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { sumSquaresF64 } from './float32.js';
import { HUMANOID_OBS_KWARGS, clip, humanoidObsSize, humanoidTendonInfo, readHumanoidObservation, writeHumanoidObservation, type HumanoidObservation } from './humanoid-parts.js';
import { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';
import { HUMANOID_STANDUP_MJCF } from './models/humanoid.js';

export const HUMANOID_STANDUP_KWARGS = [
  'xml_file',
  'frame_skip',
  'uph_cost_weight',
  'ctrl_cost_weight',
  'impact_cost_weight',
  'impact_cost_range',
  ...HUMANOID_OBS_KWARGS,
] as const;

export class HumanoidStandup extends MujocoEnv {
  private readonly ctrlWeight: number;
  private readonly impactWeight: number;
  private readonly impactRange: readonly [number, number];
  private readonly noiseScale: number;
  private readonly obs: HumanoidObservation;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('HumanoidStandup-v5', kwargs, HUMANOID_STANDUP_KWARGS);
    const [mjcf, source] = k.xmlFile('humanoidstandup.xml', HUMANOID_STANDUP_MJCF);
    const obs = readHumanoidObservation(k);
    super({ id: 'HumanoidStandup-v5', mjcf, source, frameSkip: k.positiveInt('frame_skip', 5), obsSize: humanoidObsSize(obs), rewardThreshold: null });
    this.obs = obs;
    k.number('uph_cost_weight', 1); // checked, not applied (as Gymnasium 1.4.0)
    this.ctrlWeight = k.number('ctrl_cost_weight', 0.1);
    this.impactWeight = k.number('impact_cost_weight', 5e-7);
    this.impactRange = k.range('impact_cost_range', [-Infinity, 10]);
    this.noiseScale = k.nonNegative('reset_noise_scale', 0.01);
  }

  protected override resetNoiseScale(): number {
    return this.noiseScale;
  }

  protected observe(out: Float64Array): void {
    writeHumanoidObservation(this.obs, this.v, out);
  }

  protected afterStep(): [number, boolean, Info] {
    const z = this.v.qpos[2];
    // Gymnasium 1.4.0 takes uph_cost_weight but does not apply it; so neither does this port.
    const uph = (z - 0) / (this.model.opt.timestep as number);
    const ctrlCost = this.ctrlWeight * sumSquaresF64(this.v.ctrl);
    const impactCost = clip(this.impactWeight * sumSquaresF64(this.v.cfrcExt), this.impactRange);
    return [
      uph - ctrlCost - impactCost + 1,
      false,
      {
        ...this.resetInfo(),
        reward_linup: uph,
        reward_quadctrl: -ctrlCost,
        reward_impact: -impactCost,
      },
    ];
  }

  protected override resetInfo(): Info {
    const [x, y] = [this.v.qpos[0], this.v.qpos[1]];
    return { x_position: x, y_position: y, z_distance_from_origin: this.v.qpos[2] - this.initQpos[2], ...humanoidTendonInfo(this.v) };
  }
}
