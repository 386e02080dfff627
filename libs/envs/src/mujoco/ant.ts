/**
 * Ant-v5 (Gymnasium 1.4.0): walk a four-legged robot forward. Observation qpos[2:] (all of qpos
 * with `exclude_current_positions_from_observation: false`), qvel and the clipped external contact
 * forces of bodies 1.. (`include_cfrc_ext_in_observation`); reward forward velocity of the main
 * body + healthy reward - control cost - contact cost; terminates when the torso z leaves the
 * healthy range or the state is not finite. Reset noise: uniform on qpos, scale * standard normal
 * on qvel (gymlab's normal generator, not numpy's ziggurat).
 */
import type { Rng } from '@gymlab/random';
import type { Info } from '../core.js';
import { EnvKwargValueError, type EnvKwargs } from '../registry.js';
import { controlCost } from './float32.js';
import { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';
import { ANT_MJCF } from './models/ant.js';
import { bodyId } from './runtime.js';

export const ANT_KWARGS = [
  'xml_file',
  'frame_skip',
  'forward_reward_weight',
  'ctrl_cost_weight',
  'contact_cost_weight',
  'healthy_reward',
  'main_body',
  'terminate_when_unhealthy',
  'healthy_z_range',
  'contact_force_range',
  'reset_noise_scale',
  'exclude_current_positions_from_observation',
  'include_cfrc_ext_in_observation',
] as const;

export class Ant extends MujocoEnv {
  private readonly forwardWeight: number;
  private readonly ctrlWeight: number;
  private readonly contactWeight: number;
  private readonly healthyRewardValue: number;
  private readonly mainBody: number;
  private readonly terminateWhenUnhealthy: boolean;
  private readonly zRange: readonly [number, number];
  private readonly forceRange: readonly [number, number];
  private readonly noiseScale: number;
  private readonly skip: number;
  private readonly includeCfrc: boolean;
  private xBefore = 0;
  private yBefore = 0;

  constructor(kwargs: EnvKwargs = {}) {
    const id = 'Ant-v5';
    const k = new KwargReader(id, kwargs, ANT_KWARGS);
    const [mjcf, source] = k.xmlFile('ant.xml', ANT_MJCF);
    const exclude = k.boolean('exclude_current_positions_from_observation', true);
    const includeCfrc = k.boolean('include_cfrc_ext_in_observation', true);
    super({ id, mjcf, source, frameSkip: k.positiveInt('frame_skip', 5), obsSize: 29 - (exclude ? 2 : 0) + (includeCfrc ? 78 : 0), rewardThreshold: 6000 });
    this.skip = exclude ? 2 : 0;
    this.includeCfrc = includeCfrc;
    this.forwardWeight = k.number('forward_reward_weight', 1);
    this.ctrlWeight = k.number('ctrl_cost_weight', 0.5);
    this.contactWeight = k.number('contact_cost_weight', 5e-4);
    this.healthyRewardValue = k.number('healthy_reward', 1);
    this.terminateWhenUnhealthy = k.boolean('terminate_when_unhealthy', true);
    this.zRange = k.range('healthy_z_range', [0.2, 1]);
    this.forceRange = k.range('contact_force_range', [-1, 1]);
    this.noiseScale = k.nonNegative('reset_noise_scale', 0.1);
    const main = kwargs.main_body ?? 1;
    if (typeof main === 'string') this.mainBody = bodyId(this.model, main, source);
    else if (typeof main === 'number' && Number.isInteger(main) && main >= 0 && main < this.model.nbody) this.mainBody = main;
    else throw new EnvKwargValueError(id, 'main_body', `a body index in [0, ${this.model.nbody - 1}] or a body name`, main, ANT_KWARGS);
  }

  protected override resetModel(rng: Rng): void {
    this.resetWithNoise(rng, this.noiseScale, 'normal');
  }

  protected override beforeStep(): void {
    this.xBefore = this.v.xpos[3 * this.mainBody];
    this.yBefore = this.v.xpos[3 * this.mainBody + 1];
  }

  private clippedForce(i: number): number {
    return Math.min(Math.max(this.v.cfrcExt[i], this.forceRange[0]), this.forceRange[1]);
  }

  protected observe(out: Float64Array): void {
    let j = this.writeQposQvel(out, this.skip);
    if (this.includeCfrc) for (let i = 6; i < this.v.cfrcExt.length; i++) out[j++] = this.clippedForce(i);
  }

  private isHealthy(): boolean {
    const { qpos, qvel } = this.v;
    for (let i = 0; i < qpos.length; i++) if (!Number.isFinite(qpos[i])) return false;
    for (let i = 0; i < qvel.length; i++) if (!Number.isFinite(qvel[i])) return false;
    return this.zRange[0] <= qpos[2] && qpos[2] <= this.zRange[1];
  }

  protected afterStep(action: Float32Array): [number, boolean, Info] {
    const xVelocity = (this.v.xpos[3 * this.mainBody] - this.xBefore) / this.dt;
    const yVelocity = (this.v.xpos[3 * this.mainBody + 1] - this.yBefore) / this.dt;
    const healthy = this.isHealthy();
    const forward = xVelocity * this.forwardWeight;
    const survive = healthy ? this.healthyRewardValue : 0;
    const ctrlCost = controlCost(this.ctrlWeight, action);
    const contactCost = this.contactWeight * this.contactSquares();
    const reward = forward + survive - (ctrlCost + contactCost);
    return [
      reward,
      !healthy && this.terminateWhenUnhealthy,
      {
        ...this.planePositionInfo(),
        x_velocity: xVelocity,
        y_velocity: yVelocity,
        reward_forward: forward,
        reward_ctrl: -ctrlCost,
        reward_contact: -contactCost,
        reward_survive: survive,
      },
    ];
  }

  /** Sum of squares of the clipped contact forces of all bodies (the world's included). */
  private contactSquares(): number {
    let s = 0;
    for (let i = 0; i < this.v.cfrcExt.length; i++) s += this.clippedForce(i) ** 2;
    return s;
  }

  protected override resetInfo(): Info {
    return this.planePositionInfo();
  }
}
