/**
 * What Gymnasium 1.4.0's forward-locomotion v5 envs share (HalfCheetah, Swimmer, Hopper,
 * Walker2d, Ant, Humanoid; HumanoidStandup takes all but the reward): the kwargs
 * `forward_reward_weight`, `ctrl_cost_weight`, `reset_noise_scale`,
 * `exclude_current_positions_from_observation` and, for the envs that can fall, `healthy_reward`,
 * `terminate_when_unhealthy` and `healthy_z_range`; reset noise uniform on qpos (uniform or
 * normal on qvel); the observation qpos (less the root's x, or x and y) then qvel, and what the
 * env adds; and the step's reward
 *
 *   forward_reward_weight * x velocity + healthy_reward (while healthy) - ctrl cost - contact cost
 *
 * with termination when unhealthy (and `terminate_when_unhealthy`). Each env gives its defaults,
 * which body's position the velocity is taken from, its health check and its extra terms.
 */
import type { Info } from '../core.js';
import { controlCost, sumSquaresF64 } from './float32.js';
import type { KwargReader } from './kwargs.js';
import { MujocoEnv, type MujocoEnvConfig } from './mujoco-env.js';
import type { DataViews, MjModel } from './runtime.js';

/** The kwargs every locomotion env takes. */
export const LOCOMOTION_KWARGS = [
  'xml_file',
  'frame_skip',
  'forward_reward_weight',
  'ctrl_cost_weight',
  'reset_noise_scale',
  'exclude_current_positions_from_observation',
] as const;

/** The kwargs of the envs that can fall. */
export const HEALTHY_KWARGS = ['healthy_reward', 'terminate_when_unhealthy', 'healthy_z_range'] as const;

/** `min(max(x, lo), hi)` (numpy's clip of a scalar). */
export function clip(x: number, [lo, hi]: readonly [number, number]): number {
  return Math.min(Math.max(x, lo), hi);
}

/** Observation entries an env appends after qpos and qvel (Ant's contact forces, Humanoid's body quantities). */
export interface ExtraObservation {
  size(model: MjModel): number;
  /** Writes the entries into `out` from index `at`. */
  write(v: DataViews, out: Float64Array, at: number): void;
}

/** An env's Gymnasium defaults and the facts that tell it apart. */
export interface LocomotionConfig extends Omit<MujocoEnvConfig, 'obsSize'> {
  /** Default `forward_reward_weight`; null: not a kwarg (HumanoidStandup, whose reward is its own). */
  readonly forwardRewardWeight: number | null;
  readonly ctrlCostWeight: number;
  readonly resetNoiseScale: number;
  readonly qvelNoise: 'uniform' | 'normal';
  /** Root positions in qpos that the observation leaves out by default: x (planar bodies) or x and y. */
  readonly rootPositions: 1 | 2;
  /** The observation clips qvel to +/- this (Hopper, Walker2d: 10). */
  readonly velocityBound?: number;
  /** Defaults of `healthy_reward` and `healthy_z_range`; absent for the envs that cannot fall. */
  readonly healthy?: { readonly reward: number; readonly zRange: readonly [number, number] };
  /** Control cost of `ctrl_cost_weight * |action|^2` on the float32 action (numpy's float32 sum), or on MuJoCo's float64 `data.ctrl` (Humanoid). */
  readonly ctrlCostOn?: 'action' | 'ctrl';
  readonly extraObservation?: ExtraObservation;
}

export abstract class LocomotionEnv extends MujocoEnv {
  protected readonly forwardWeight: number;
  protected readonly ctrlWeight: number;
  /** The healthy z range (unbounded for the envs that cannot fall). */
  protected readonly zRange: readonly [number, number];
  private readonly healthyRewardValue: number | null;
  private readonly terminateWhenUnhealthy: boolean;
  private readonly skip: number;
  private readonly config: LocomotionConfig;
  private xBefore = 0;
  private yBefore = 0;

  protected constructor(k: KwargReader, c: LocomotionConfig) {
    const skip = k.boolean('exclude_current_positions_from_observation', true) ? c.rootPositions : 0;
    super(k, { ...c, obsSize: (m) => m.nq - skip + m.nv + (c.extraObservation?.size(m) ?? 0) });
    this.config = c;
    this.skip = skip;
    this.forwardWeight = c.forwardRewardWeight === null ? 0 : k.number('forward_reward_weight', c.forwardRewardWeight);
    this.ctrlWeight = k.number('ctrl_cost_weight', c.ctrlCostWeight);
    this.healthyRewardValue = c.healthy === undefined ? null : k.number('healthy_reward', c.healthy.reward);
    this.terminateWhenUnhealthy = c.healthy !== undefined && k.boolean('terminate_when_unhealthy', true);
    this.zRange = c.healthy === undefined ? [-Infinity, Infinity] : k.range('healthy_z_range', c.healthy.zRange);
  }

  /** The position whose velocity the forward reward takes, x (axis 0) or y (1): the root's qpos by default. */
  protected position(axis: 0 | 1): number {
    return this.v.qpos[axis];
  }

  /** Whether the body is healthy (the envs that can fall override this). */
  protected isHealthy(): boolean {
    return true;
  }

  /** The contact cost (a positive number), or null for the envs without one. */
  protected contactCost(): number | null {
    return null;
  }

  /** `ctrl_cost_weight * |action|^2`, on the action or on `data.ctrl` (`LocomotionConfig.ctrlCostOn`). */
  protected controlCost(action: Float32Array): number {
    return this.config.ctrlCostOn === 'ctrl' ? this.ctrlWeight * sumSquaresF64(this.v.ctrl) : controlCost(this.ctrlWeight, action);
  }

  protected override beforeStep(): void {
    this.xBefore = this.position(0);
    this.yBefore = this.position(1);
  }

  protected observe(out: Float64Array): void {
    const { qpos, qvel } = this.v;
    const bound = this.config.velocityBound ?? Infinity;
    let j = 0;
    for (let i = this.skip; i < qpos.length; i++) out[j++] = qpos[i];
    for (let i = 0; i < qvel.length; i++) out[j++] = clip(qvel[i], [-bound, bound]);
    this.config.extraObservation?.write(this.v, out, j);
  }

  protected afterStep(action: Float32Array): [reward: number, terminated: boolean, info: Info] {
    const xVelocity = (this.position(0) - this.xBefore) / this.dt;
    const healthy = this.isHealthy();
    const forward = this.forwardWeight * xVelocity;
    const survive = healthy && this.healthyRewardValue !== null ? this.healthyRewardValue : 0;
    const ctrlCost = this.controlCost(action);
    const contactCost = this.contactCost();
    const reward = forward + survive - (ctrlCost + (contactCost ?? 0));
    const info: Info = { ...this.resetInfo(), x_velocity: xVelocity };
    if (this.config.rootPositions === 2) info.y_velocity = (this.position(1) - this.yBefore) / this.dt;
    info.reward_forward = forward;
    info.reward_ctrl = -ctrlCost;
    if (contactCost !== null) info.reward_contact = -contactCost;
    if (this.healthyRewardValue !== null) info.reward_survive = survive;
    return [reward, !healthy && this.terminateWhenUnhealthy, info];
  }

  /** Gymnasium's reset info: the root's x (planar bodies), or x, y and the distance from the origin. */
  protected override resetInfo(): Info {
    const x = this.v.qpos[0];
    if (this.config.rootPositions === 1) return { x_position: x };
    const y = this.v.qpos[1];
    return { x_position: x, y_position: y, distance_from_origin: Math.sqrt(x * x + y * y) };
  }
}
