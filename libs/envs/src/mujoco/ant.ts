/**
 * Ant-v5 (Gymnasium 1.4.0): walk a four-legged robot forward. Observation qpos[2:] (all of qpos
 * with `exclude_current_positions_from_observation: false`), qvel and the clipped external contact
 * forces of bodies 1.. (`include_cfrc_ext_in_observation`); reward forward velocity of the main
 * body + healthy reward - control cost - contact cost; terminates when the torso z leaves the
 * healthy range or the state is not finite. Reset noise: uniform on qpos, scale * standard normal
 * on qvel (numpy's ziggurat, as Gymnasium draws it).
 */
import { EnvKwargValueError, type EnvKwargs } from '../registry.js';
import { KwargReader } from './kwargs.js';
import { HEALTHY_KWARGS, LOCOMOTION_KWARGS, LocomotionEnv, clip, type ExtraObservation } from './locomotion-env.js';

export const ANT_KWARGS = [
  ...LOCOMOTION_KWARGS,
  ...HEALTHY_KWARGS,
  'contact_cost_weight',
  'main_body',
  'contact_force_range',
  'include_cfrc_ext_in_observation',
] as const;

/** The contact forces of bodies 1.., each clipped to the range. */
function clippedContactForces(range: readonly [number, number]): ExtraObservation {
  return {
    size: (m) => 6 * (m.nbody - 1),
    write: (v, out, at) => {
      for (let i = 6; i < v.cfrcExt.length; i++) out[at++] = clip(v.cfrcExt[i], range);
    },
  };
}

export class Ant extends LocomotionEnv {
  private readonly contactWeight: number;
  private readonly forceRange: readonly [number, number];
  private readonly mainBody: number;

  constructor(kwargs: EnvKwargs = {}) {
    const k = new KwargReader('Ant-v5', kwargs, ANT_KWARGS);
    const forceRange = k.range('contact_force_range', [-1, 1]);
    const forces = k.boolean('include_cfrc_ext_in_observation', true) ? clippedContactForces(forceRange) : undefined;
    super(k, {
      xmlFile: 'ant.xml', frameSkip: 5, rewardThreshold: 6000, rootPositions: 2, extraObservation: forces,
      forwardRewardWeight: 1, ctrlCostWeight: 0.5, resetNoiseScale: 0.1, qvelNoise: 'normal',
      healthy: { reward: 1, zRange: [0.2, 1] },
    });
    this.forceRange = forceRange;
    this.contactWeight = k.number('contact_cost_weight', 5e-4);
    const main = kwargs.main_body ?? 1;
    if (typeof main === 'string') this.mainBody = this.bodyIndex(main);
    else if (typeof main === 'number' && Number.isInteger(main) && main >= 0 && main < this.model.nbody) this.mainBody = main;
    else throw new EnvKwargValueError(k.id, 'main_body', `a body index in [0, ${this.model.nbody - 1}] or a body name`, main, ANT_KWARGS);
  }

  /** The main body's x or y: the forward reward follows it. */
  protected override position(axis: 0 | 1): number {
    return this.v.xpos[3 * this.mainBody + axis];
  }

  /** Finite qpos and qvel, torso z within the healthy range (bounds included). */
  protected override isHealthy(): boolean {
    const { qpos, qvel } = this.v;
    for (let i = 0; i < qpos.length; i++) if (!Number.isFinite(qpos[i])) return false;
    for (let i = 0; i < qvel.length; i++) if (!Number.isFinite(qvel[i])) return false;
    return this.zRange[0] <= qpos[2] && qpos[2] <= this.zRange[1];
  }

  /** contact_cost_weight * the sum of squares of the clipped contact forces of all bodies (the world's included). */
  protected override contactCost(): number {
    let s = 0;
    for (let i = 0; i < this.v.cfrcExt.length; i++) s += clip(this.v.cfrcExt[i], this.forceRange) ** 2;
    return this.contactWeight * s;
  }
}
