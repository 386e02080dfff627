/**
 * What Hopper-v5 and Walker2d-v5 share (Gymnasium 1.4.0): a planar body with root joints
 * (x, z, angle), forward reward from the root's x velocity, a healthy reward, a float32 control
 * cost, termination when unhealthy, and the observation qpos (less x) with qvel clipped to +/-10.
 */
import type { Info } from '../core.js';
import { controlCost } from './float32.js';
import type { KwargReader } from './kwargs.js';
import { MujocoEnv } from './mujoco-env.js';

export const PLANAR_WALKER_KWARGS = [
  'xml_file',
  'frame_skip',
  'forward_reward_weight',
  'ctrl_cost_weight',
  'healthy_reward',
  'terminate_when_unhealthy',
  'healthy_z_range',
  'healthy_angle_range',
  'reset_noise_scale',
  'exclude_current_positions_from_observation',
] as const;

export interface PlanarWalkerConfig {
  readonly id: string;
  readonly mjcf: string;
  readonly source: string;
  readonly nq: number;
  readonly nv: number;
  readonly rewardThreshold: number | null;
  readonly healthyZRange: readonly [number, number];
  readonly healthyAngleRange: readonly [number, number];
}

export abstract class PlanarWalker extends MujocoEnv {
  private readonly forwardWeight: number;
  private readonly ctrlWeight: number;
  private readonly healthyRewardValue: number;
  private readonly terminateWhenUnhealthy: boolean;
  private readonly zRange: readonly [number, number];
  private readonly angleRange: readonly [number, number];
  private readonly noiseScale: number;
  private readonly skipX: number;
  private xBefore = 0;

  protected constructor(k: KwargReader, c: PlanarWalkerConfig) {
    const exclude = k.boolean('exclude_current_positions_from_observation', true);
    super({
      id: c.id,
      mjcf: c.mjcf,
      source: c.source,
      frameSkip: k.positiveInt('frame_skip', 4),
      obsSize: c.nq + c.nv - (exclude ? 1 : 0),
      rewardThreshold: c.rewardThreshold,
    });
    this.skipX = exclude ? 1 : 0;
    this.forwardWeight = k.number('forward_reward_weight', 1);
    this.ctrlWeight = k.number('ctrl_cost_weight', 0.001);
    this.healthyRewardValue = k.number('healthy_reward', 1);
    this.terminateWhenUnhealthy = k.boolean('terminate_when_unhealthy', true);
    this.zRange = k.range('healthy_z_range', c.healthyZRange);
    this.angleRange = k.range('healthy_angle_range', c.healthyAngleRange);
    this.noiseScale = k.nonNegative('reset_noise_scale', 0.005);
  }

  protected override resetNoiseScale(): number {
    return this.noiseScale;
  }

  /** Root height and torso angle strictly inside their ranges. */
  protected isHealthy(): boolean {
    const z = this.v.qpos[1];
    const angle = this.v.qpos[2];
    return this.zRange[0] < z && z < this.zRange[1] && this.angleRange[0] < angle && angle < this.angleRange[1];
  }

  protected override beforeStep(): void {
    this.xBefore = this.v.qpos[0];
  }

  protected observe(out: Float64Array): void {
    this.writeQposQvel(out, this.skipX, 10);
  }

  protected afterStep(action: Float32Array): [number, boolean, Info] {
    const x = this.v.qpos[0];
    const xVelocity = (x - this.xBefore) / this.dt;
    const healthy = this.isHealthy();
    const forward = this.forwardWeight * xVelocity;
    const survive = healthy ? this.healthyRewardValue : 0;
    const ctrlCost = controlCost(this.ctrlWeight, action);
    const reward = forward + survive - ctrlCost;
    const terminated = !healthy && this.terminateWhenUnhealthy;
    return [
      reward,
      terminated,
      {
        x_position: x,
        z_distance_from_origin: this.v.qpos[1] - this.initQpos[1],
        x_velocity: xVelocity,
        reward_forward: forward,
        reward_ctrl: -ctrlCost,
        reward_survive: survive,
      },
    ];
  }

  protected override resetInfo(): Info {
    return { x_position: this.v.qpos[0], z_distance_from_origin: this.v.qpos[1] - this.initQpos[1] };
  }
}
