/**
 * MountainCar-v0, a port of Gymnasium 1.4.0's `MountainCarEnv`: actions 0 (push left), 1 (no
 * push), 2 (push right); float64 state `[position, velocity]`; reward -1 per step; terminates at
 * position >= 0.5.
 */
import type { Action } from '../core.js';
import { cos } from './trig.js';
import type { Rng } from '@gymlab/random';
import { Box, Discrete } from '../spaces.js';
import { ClassicControlEnv, clip, discreteAction } from './base.js';

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.5;
const GOAL_VELOCITY = 0;
const FORCE = 0.001;
const GRAVITY = 0.0025;

export class MountainCar extends ClassicControlEnv {
  readonly observationSpace = new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]);
  readonly actionSpace = new Discrete(3);

  constructor() {
    super('MountainCar-v0', 2, -110.0);
  }

  protected drawInitialState(rng: Rng): void {
    this.state[0] = rng.uniform(-0.6, -0.4);
    this.state[1] = 0;
  }

  protected observe(): Float32Array {
    return Float32Array.from(this.state);
  }

  protected advance(action: Action): [number, boolean] {
    const a = discreteAction(this.info.id, action, 3);
    let position = this.state[0];
    let velocity = this.state[1];
    velocity += (a - 1) * FORCE + cos(3 * position) * -GRAVITY;
    velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
    position += velocity;
    position = clip(position, MIN_POSITION, MAX_POSITION);
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
    this.state[0] = position;
    this.state[1] = velocity;
    return [-1.0, terminated];
  }
}
