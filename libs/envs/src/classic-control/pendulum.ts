/**
 * Pendulum-v1, a port of Gymnasium 1.4.0's `PendulumEnv`: torque clipped to [-2, 2], angular
 * velocity clipped to [-8, 8], float64 state `[theta, theta_dot]`, float32 observations
 * `[cos(theta), sin(theta), theta_dot]`, reward
 * `-(angle_normalize(theta)^2 + 0.1 theta_dot^2 + 0.001 u^2)` evaluated before the update.
 * Never terminates (the time limit truncates).
 */
import type { Action } from '../core.js';
import { cos, sin } from './trig.js';
import type { Rng } from '@gymlab/random';
import { Box } from '../spaces.js';
import { ClassicControlEnv, clip, pyMod, scalarAction } from './base.js';

const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const G = 10.0;
const M = 1.0;
const L = 1.0;

/** Angle wrapped to [-pi, pi), as Gymnasium computes it: `((x + pi) % (2 pi)) - pi`. */
export function angleNormalize(x: number): number {
  return pyMod(x + Math.PI, 2 * Math.PI) - Math.PI;
}

export class Pendulum extends ClassicControlEnv {
  readonly observationSpace = new Box([-1.0, -1.0, -MAX_SPEED], [1.0, 1.0, MAX_SPEED]);
  readonly actionSpace = new Box(-MAX_TORQUE, MAX_TORQUE, [1]);

  constructor() {
    super('Pendulum-v1', 2, null);
  }

  protected drawInitialState(rng: Rng): void {
    this.state[0] = rng.uniform(-Math.PI, Math.PI);
    this.state[1] = rng.uniform(-1.0, 1.0);
  }

  protected override observe(): Float32Array {
    const th = this.state[0];
    const out = new Float32Array(3);
    out[0] = cos(th);
    out[1] = sin(th);
    out[2] = this.state[1];
    return out;
  }

  protected advance(action: Action): [number, boolean] {
    const th = this.state[0];
    const thdot = this.state[1];
    const u = clip(scalarAction(this.info.id, action), -MAX_TORQUE, MAX_TORQUE);
    const an = angleNormalize(th);
    const costs = an * an + 0.1 * (thdot * thdot) + 0.001 * (u * u);
    let newthdot = thdot + (((3 * G) / (2 * L)) * sin(th) + (3.0 / (M * (L * L))) * u) * DT;
    newthdot = clip(newthdot, -MAX_SPEED, MAX_SPEED);
    const newth = th + newthdot * DT;
    this.state[0] = newth;
    this.state[1] = newthdot;
    return [-costs, false];
  }
}
