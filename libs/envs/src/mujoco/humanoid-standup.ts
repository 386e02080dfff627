/**
 * HumanoidStandup-v5 (Gymnasium 1.4.0): stand up from lying on the back. Observation as
 * Humanoid-v5's (348 by default); reward torso z / timestep (uph_cost_weight is taken but, as in
 * Gymnasium 1.4.0, not applied) - ctrl_cost_weight * |ctrl|^2 - impact cost
 * (impact_cost_weight * |cfrc_ext|^2 clipped to impact_cost_range) + 1; never terminates.
 */
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { HUMANOID_BODY, HUMANOID_OBS_KWARGS, clippedContactCost, humanoidBodyObservation, humanoidTendonInfo } from './humanoid-parts.js';
import { KwargReader } from './kwargs.js';
import { LocomotionEnv } from './locomotion-env.js';

export const HUMANOID_STANDUP_KWARGS = [
  'xml_file',
  'frame_skip',
  'uph_cost_weight',
  'ctrl_cost_weight',
  'impact_cost_weight',
  'impact_cost_range',
  'reset_noise_scale',
  'exclude_current_positions_from_observation',
  ...HUMANOID_OBS_KWARGS,
] as const;

export class HumanoidStandup extends LocomotionEnv {
  private readonly impactWeight: number;
  private readonly impactRange: readonly [number, number];

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('HumanoidStandup-v5', kwargs, HUMANOID_STANDUP_KWARGS);
    super(k, {
      ...HUMANOID_BODY, xmlFile: 'humanoidstandup.xml', extraObservation: humanoidBodyObservation(k),
      forwardRewardWeight: null, ctrlCostWeight: 0.1,
    });
    k.number('uph_cost_weight', 1); // checked, not applied (as Gymnasium 1.4.0)
    this.impactWeight = k.number('impact_cost_weight', 5e-7);
    this.impactRange = k.range('impact_cost_range', [-Infinity, 10]);
  }

  /** Its own reward: the torso's height, not forward motion. */
  protected override afterStep(action: Float32Array): [number, boolean, Info] {
    const z = this.v.qpos[2];
    // Gymnasium 1.4.0 takes uph_cost_weight but does not apply it; so neither does this port.
    const uph = (z - 0) / (this.model.opt.timestep as number);
    const ctrlCost = this.controlCost(action);
    const impactCost = clippedContactCost(this.v, this.impactWeight, this.impactRange);
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

  /** x, y and z distance from the start (no `distance_from_origin`, as Gymnasium's), and the tendons. */
  protected override resetInfo(): Info {
    const { qpos } = this.v;
    return { x_position: qpos[0], y_position: qpos[1], z_distance_from_origin: qpos[2] - this.initQpos[2], ...humanoidTendonInfo(this.v) };
  }
}
