/**
 * MountainCar-v0, a port of Gymnasium 1.4.0's `MountainCarEnv`: actions 0 (push left), 1 (no
 * push), 2 (push right), each push `(action - 1) * 0.001`; float64 state `[position, velocity]`;
 * reward -1 per step; terminates at position >= 0.5 (track and motion in mountain-car-base.ts).
 */
import type { Action } from '../core.js';
import { Discrete } from '../spaces.js';
import { discreteAction } from './base.js';
import { MountainCarBase } from './mountain-car-base.js';

const FORCE = 0.001;

export class MountainCar extends MountainCarBase {
  readonly actionSpace = new Discrete(3);

  constructor() {
    super('MountainCar-v0', -110.0, 0.5);
  }

  protected advance(action: Action): [number, boolean] {
    const a = discreteAction(this.info.id, action, 3);
    const car = this.move((a - 1) * FORCE);
    this.state[0] = car.position;
    this.state[1] = car.velocity;
    return [-1.0, car.reached];
  }
}
