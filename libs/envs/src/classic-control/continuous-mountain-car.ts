/**
 * MountainCarContinuous-v0, a port of Gymnasium 1.4.0's `Continuous_MountainCarEnv`: force in
 * [-1, 1] (clipped), push `force * 0.0015`, goal at position >= 0.45, reward
 * `100 * reached - 0.1 * action^2` (the penalty uses the unclipped action). Track and motion are
 * shared with MountainCar-v0 (mountain-car-base.ts).
 *
 * Precision, as Gymnasium computes it: the update is float64 arithmetic on the stored state, and
 * every step stores the new state rounded to float32 (reset draws a float64 one).
 */
import type { Action } from '../core.js';
import { Box } from '../spaces.js';
import { clip, scalarAction } from './base.js';
import { MountainCarBase } from './mountain-car-base.js';

const MIN_ACTION = -1.0;
const MAX_ACTION = 1.0;
const POWER = 0.0015;

export class MountainCarContinuous extends MountainCarBase {
  readonly actionSpace = new Box(MIN_ACTION, MAX_ACTION, [1]);

  constructor() {
    super('MountainCarContinuous-v0', 90.0, 0.45);
  }

  protected advance(action: Action): [number, boolean] {
    const a = scalarAction(this.info.id, action);
    const car = this.move(clip(a, MIN_ACTION, MAX_ACTION) * POWER);
    let reward = car.reached ? 100.0 : 0;
    reward -= a * a * 0.1;
    this.state[0] = Math.fround(car.position);
    this.state[1] = Math.fround(car.velocity);
    return [reward, car.reached];
  }
}
