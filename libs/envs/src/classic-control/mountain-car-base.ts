/**
 * What Gymnasium's `MountainCarEnv` and `Continuous_MountainCarEnv` share: the track bounds and
 * observation box, the start (position uniform in [-0.6, -0.4], velocity 0, float64) and the car's
 * motion for one step given the push (velocity += push - 0.0025 cos(3 position), clipped to
 * +/-0.07; position += velocity, clipped to [-1.2, 0.6]; a car stopped at the left wall).
 */
import type { Rng } from '@gymlab/random';
import { Box } from '../spaces.js';
import { ClassicControlEnv, clip } from './base.js';
import { cos } from './trig.js';

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GRAVITY = 0.0025;

/** The car after one step. */
export interface CarMove {
  readonly position: number;
  readonly velocity: number;
  /** position >= goal and velocity >= 0 (Gymnasium's goal velocity is 0 in both envs). */
  readonly reached: boolean;
}

export abstract class MountainCarBase extends ClassicControlEnv {
  readonly observationSpace = new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]);

  protected constructor(
    id: string,
    rewardThreshold: number,
    private readonly goalPosition: number,
  ) {
    super(id, 2, rewardThreshold);
  }

  protected drawInitialState(rng: Rng): void {
    this.state[0] = rng.uniform(-0.6, -0.4);
    this.state[1] = 0;
  }

  /** Moves the car from the stored state with `push` (float64, as Gymnasium computes it). */
  protected move(push: number): CarMove {
    let position = this.state[0];
    let velocity = this.state[1];
    velocity += push - GRAVITY * cos(3 * position);
    velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
    position += velocity;
    position = clip(position, MIN_POSITION, MAX_POSITION);
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    return { position, velocity, reached: position >= this.goalPosition && velocity >= 0 };
  }
}
