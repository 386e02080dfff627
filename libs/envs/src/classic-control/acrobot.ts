/**
 * Acrobot-v1, a port of Gymnasium 1.4.0's `AcrobotEnv` (Sutton 1996; `book_or_nips = 'book'`,
 * torque noise 0): torques {-1, 0, +1}, one rk4 step of dt = 0.2 per action, angles wrapped to
 * [-pi, pi], velocities bounded to [-4 pi, 4 pi] and [-9 pi, 9 pi]. State
 * `[theta1, theta2, dtheta1, dtheta2]`; observation
 * `[cos theta1, sin theta1, cos theta2, sin theta2, dtheta1, dtheta2]` (float32). Reward -1 per
 * step, 0 on the step that reaches the goal height.
 */
import type { Action } from '../core.js';
import { cos, sin } from './trig.js';
import type { Rng } from '@gymlab/random';
import { Box, Discrete } from '../spaces.js';
import { ClassicControlEnv, discreteAction } from './base.js';

const DT = 0.2;
const LINK_LENGTH_1 = 1.0;
const LINK_MASS_1 = 1.0;
const LINK_MASS_2 = 1.0;
const LINK_COM_POS_1 = 0.5;
const LINK_COM_POS_2 = 0.5;
const LINK_MOI = 1.0;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const AVAIL_TORQUE = [-1.0, 0.0, +1];
const PI = Math.PI;

/**
 * Time derivative of the augmented state `[theta1, theta2, dtheta1, dtheta2, torque]` (the book's
 * equations), written into `out` (length 5; the torque's derivative is 0).
 */
export function acrobotDsdt(s: Float64Array, out: Float64Array): void {
  const m1 = LINK_MASS_1;
  const m2 = LINK_MASS_2;
  const l1 = LINK_LENGTH_1;
  const lc1 = LINK_COM_POS_1;
  const lc2 = LINK_COM_POS_2;
  const I1 = LINK_MOI;
  const I2 = LINK_MOI;
  const g = 9.8;
  const a = s[4];
  const theta1 = s[0];
  const theta2 = s[1];
  const dtheta1 = s[2];
  const dtheta2 = s[3];
  const cos2 = cos(theta2);
  const sin2 = sin(theta2);
  const d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos2) + I1 + I2;
  const d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos2) + I2;
  const phi2 = m2 * lc2 * g * cos(theta1 + theta2 - PI / 2.0);
  const phi1 =
    -m2 * l1 * lc2 * (dtheta2 * dtheta2) * sin2 -
    2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2 +
    (m1 * lc1 + m2 * l1) * g * cos(theta1 - PI / 2) +
    phi2;
  const ddtheta2 =
    (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * sin2 - phi2) / (m2 * (lc2 * lc2) + I2 - (d2 * d2) / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  out[0] = dtheta1;
  out[1] = dtheta2;
  out[2] = ddtheta1;
  out[3] = ddtheta2;
  out[4] = 0.0;
}

/** Gymnasium's `wrap`: shifts x by whole periods until m <= x <= M. */
export function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

/** Gymnasium's `bound`: `min(max(x, m), M)`. */
export function bound(x: number, m: number, M: number): number {
  return Math.min(Math.max(x, m), M);
}

export class Acrobot extends ClassicControlEnv {
  readonly observationSpace = new Box([-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2], [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2]);
  readonly actionSpace = new Discrete(3);
  // rk4 scratch buffers (augmented state of 5).
  private readonly y0 = new Float64Array(5);
  private readonly yt = new Float64Array(5);
  private readonly k1 = new Float64Array(5);
  private readonly k2 = new Float64Array(5);
  private readonly k3 = new Float64Array(5);
  private readonly k4 = new Float64Array(5);

  constructor() {
    super('Acrobot-v1', 4, -100.0);
  }

  protected drawInitialState(rng: Rng): void {
    // Gymnasium stores the initial state as float32.
    for (let i = 0; i < 4; i++) this.state[i] = Math.fround(rng.uniform(-0.1, 0.1));
  }

  protected override observe(): Float32Array {
    const s = this.state;
    const out = new Float32Array(6);
    out[0] = cos(s[0]);
    out[1] = sin(s[0]);
    out[2] = cos(s[1]);
    out[3] = sin(s[1]);
    out[4] = s[2];
    out[5] = s[3];
    return out;
  }

  protected advance(action: Action): [number, boolean] {
    const torque = AVAIL_TORQUE[discreteAction(this.info.id, action, 3)];
    const { y0, yt, k1, k2, k3, k4 } = this;
    y0.set(this.state);
    y0[4] = torque;
    // One rk4 step over t = [0, dt], as Gymnasium's rk4 computes it.
    const dt = DT - 0;
    const dt2 = dt / 2.0;
    acrobotDsdt(y0, k1);
    for (let i = 0; i < 5; i++) yt[i] = y0[i] + dt2 * k1[i];
    acrobotDsdt(yt, k2);
    for (let i = 0; i < 5; i++) yt[i] = y0[i] + dt2 * k2[i];
    acrobotDsdt(yt, k3);
    for (let i = 0; i < 5; i++) yt[i] = y0[i] + dt * k3[i];
    acrobotDsdt(yt, k4);
    const h = dt / 6.0;
    const s = this.state;
    for (let i = 0; i < 4; i++) s[i] = y0[i] + h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    s[0] = wrap(s[0], -PI, PI);
    s[1] = wrap(s[1], -PI, PI);
    s[2] = bound(s[2], -MAX_VEL_1, MAX_VEL_1);
    s[3] = bound(s[3], -MAX_VEL_2, MAX_VEL_2);
    const terminated = -cos(s[0]) - cos(s[1] + s[0]) > 1.0;
    return [terminated ? 0.0 : -1.0, terminated];
  }
}
