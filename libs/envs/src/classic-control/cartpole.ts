/**
 * CartPole-v1, a port of Gymnasium 1.4.0's `CartPoleEnv` (Barto, Sutton & Anderson 1983): euler
 * integration in float64, float32 observations `[x, x_dot, theta, theta_dot]`, reward 1 per step
 * including the terminating one, and 0 for steps taken after termination (Gymnasium's
 * `steps_beyond_terminated` rule).
 */
import type { Action } from '../core.js';
import { cos, sin } from './trig.js';
import type { Rng } from '@gymlab/random';
import { Box, Discrete, FLOAT32_MAX } from '../spaces.js';
import { ClassicControlEnv, discreteAction } from './base.js';
import { snapshotNumber, type EnvSnapshot } from '../snapshot.js';

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
/** Half the pole's length. */
const LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
/** Seconds between state updates. */
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

export class CartPole extends ClassicControlEnv {
  readonly observationSpace = new Box(
    [-X_THRESHOLD * 2, -FLOAT32_MAX, -THETA_THRESHOLD * 2, -FLOAT32_MAX],
    [X_THRESHOLD * 2, FLOAT32_MAX, THETA_THRESHOLD * 2, FLOAT32_MAX],
  );
  readonly actionSpace = new Discrete(2);
  /** null until the pole falls, then the number of steps taken after that. */
  private stepsBeyondTerminated: number | null = null;

  constructor() {
    super('CartPole-v1', 4, 475);
  }

  protected drawInitialState(rng: Rng): void {
    for (let i = 0; i < 4; i++) this.state[i] = rng.uniform(-0.05, 0.05);
  }

  protected override onEpisodeStart(): void {
    this.stepsBeyondTerminated = null;
  }

  protected override snapshotExtra(): EnvSnapshot {
    return { stepsBeyondTerminated: this.stepsBeyondTerminated };
  }

  protected override restoreExtra(extra: EnvSnapshot, where: string): void {
    this.stepsBeyondTerminated = snapshotNumber(extra, 'stepsBeyondTerminated', `${where}.extra`, true);
  }

  protected advance(action: Action): [number, boolean] {
    const a = discreteAction(this.info.id, action, 2);
    const s = this.state;
    let x = s[0];
    let xDot = s[1];
    let theta = s[2];
    let thetaDot = s[3];
    const force = a === 1 ? FORCE_MAG : -FORCE_MAG;
    const cosTheta = cos(theta);
    const sinTheta = sin(theta);
    const temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
    const thetaAcc =
      (GRAVITY * sinTheta - cosTheta * temp) / (LENGTH * (4.0 / 3.0 - (MASS_POLE * (cosTheta * cosTheta)) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cosTheta) / TOTAL_MASS;
    x = x + TAU * xDot;
    xDot = xDot + TAU * xAcc;
    theta = theta + TAU * thetaDot;
    thetaDot = thetaDot + TAU * thetaAcc;
    s[0] = x;
    s[1] = xDot;
    s[2] = theta;
    s[3] = thetaDot;

    const terminated = x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD || theta > THETA_THRESHOLD;
    let reward: number;
    if (!terminated) {
      reward = 1.0;
    } else if (this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0;
      reward = 1.0;
    } else {
      this.stepsBeyondTerminated += 1;
      reward = 0.0;
    }
    return [reward, terminated];
  }
}
