/**
 * MountainCarContinuous-v0, a port of Gymnasium 1.4.0's `Continuous_MountainCarEnv`: force in
 * [-1, 1] (clipped), goal at position >= 0.45, reward `100 * reached - 0.1 * action^2` (the
 * penalty uses the unclipped action).
 *
 * Precision, as Gymnasium computes it: the update is float64 arithmetic on the stored state, and
 * every step stores the new state rounded to float32 (reset draws a float64 one).
 */
import type { Action } from '../core.js';
import { cos } from './trig.js';
import type { Rng } from '@gymlab/random';
import { Box } from '../spaces.js';
import { ClassicControlEnv, scalarAction } from './base.js';

const MIN_ACTION = -1.0;
const MAX_ACTION = 1.0;
const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.45;
const GOAL_VELOCITY = 0;
const POWER = 0.0015;

export class MountainCarContinuous extends ClassicControlEnv {
  readonly observationSpace = new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]);
  readonly actionSpace = new Box(MIN_ACTION, MAX_ACTION, [1]);

  constructor() {
    super('MountainCarContinuous-v0', 2, 90.0);
  }

  protected drawInitialState(rng: Rng): void {
    this.state[0] = rng.uniform(-0.6, -0.4);
    this.state[1] = 0;
  }

  protected observe(): Float32Array {
    return Float32Array.from(this.state);
  }

  protected advance(action: Action): [number, boolean] {
    const a = scalarAction(this.info.id, action);
    let position = this.state[0];
    let velocity = this.state[1];
    const force = Math.min(Math.max(a, MIN_ACTION), MAX_ACTION);
    velocity += force * POWER - 0.0025 * cos(3 * position);
    if (velocity > MAX_SPEED) velocity = MAX_SPEED;
    if (velocity < -MAX_SPEED) velocity = -MAX_SPEED;
    position += velocity;
    if (position > MAX_POSITION) position = MAX_POSITION;
    if (position < MIN_POSITION) position = MIN_POSITION;
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
    let reward = terminated ? 100.0 : 0;
    reward -= a * a * 0.1;
    this.state[0] = Math.fround(position);
    this.state[1] = Math.fround(velocity);
    return [reward, terminated];
  }
}
