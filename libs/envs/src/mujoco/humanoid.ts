/**
 * Humanoid-v5 (Gymnasium 1.4.0): walk forward without falling. Observation qpos[2:], qvel and the
 * body quantities of `humanoid-parts.ts` (348 by default); reward forward velocity of the centre
 * of mass * weight + healthy reward - ctrl_cost_weight * |ctrl|^2 - contact cost
 * (contact_cost_weight * |cfrc_ext|^2 clipped to contact_cost_range); terminates when the torso z
 * leaves (1, 2).
 */
import type { Info } from '../core.js';
import type { EnvKwargs } from '../registry.js';
import { HUMANOID_BODY, HUMANOID_OBS_KWARGS, clippedContactCost, humanoidBodyObservation, humanoidTendonInfo } from './humanoid-parts.js';
import { KwargReader } from './kwargs.js';
import { HEALTHY_KWARGS, LOCOMOTION_KWARGS, LocomotionEnv } from './locomotion-env.js';

export const HUMANOID_KWARGS = [...LOCOMOTION_KWARGS, ...HEALTHY_KWARGS, 'contact_cost_weight', 'contact_cost_range', ...HUMANOID_OBS_KWARGS] as const;

export class Humanoid extends LocomotionEnv {
  private readonly contactWeight: number;
  private readonly contactRange: readonly [number, number];
  private readonly mass: Float64Array;
  private readonly totalMass: number;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('Humanoid-v5', kwargs, HUMANOID_KWARGS);
    super(k, {
      ...HUMANOID_BODY, xmlFile: 'humanoid.xml', extraObservation: humanoidBodyObservation(k),
      forwardRewardWeight: 1.25, ctrlCostWeight: 0.1, healthy: { reward: 5, zRange: [1, 2] },
    });
    this.contactWeight = k.number('contact_cost_weight', 5e-7);
    this.contactRange = k.range('contact_cost_range', [-Infinity, 10]);
    this.mass = Float64Array.from(this.model.body_mass as Float64Array);
    this.totalMass = this.mass.reduce((a, b) => a + b, 0);
  }

  /** Gymnasium's `mass_center`: the mass-weighted mean of the bodies' centres of mass, x or y. */
  protected override position(axis: 0 | 1): number {
    let s = 0;
    for (let b = 0; b < this.mass.length; b++) s += this.mass[b] * this.v.xipos[3 * b + axis];
    return s / this.totalMass;
  }

  /** Torso z strictly inside the healthy range. */
  protected override isHealthy(): boolean {
    const z = this.v.qpos[2];
    return this.zRange[0] < z && z < this.zRange[1];
  }

  protected override contactCost(): number {
    return clippedContactCost(this.v, this.contactWeight, this.contactRange);
  }

  protected override resetInfo(): Info {
    return { ...super.resetInfo(), ...humanoidTendonInfo(this.v) };
  }
}
