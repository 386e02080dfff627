/**
 * PPO's loss (ppo-grad.ts) for a diagonal Gaussian policy on plain arrays (DiagGaussian's
 * log-density and entropy). Per row i and action dimension j, with s_ij the log-std (a learnable
 * state-independent vector, or the net's log-scale head clamped to [LOG_SCALE_MIN, LOG_SCALE_MAX])
 * and z_ij = (a_ij - mu_ij) / exp(s_ij):
 *   lp_i = sum_j -z_ij^2 / 2 - s_ij - log(2 pi) / 2,   H_i = sum_j s_ij + (1 + log(2 pi)) / 2,
 *   d lp_i / d mu_ij = z_ij / exp(s_ij),   d lp_i / d s_ij = z_ij^2 - 1,   d H_i / d s_ij = 1.
 * A clamped head passes no gradient outside the range (tfjs clipByValue's); the state-independent
 * log-std sums its gradient over the rows.
 */
import { LOG_SCALE_MAX, LOG_SCALE_MIN } from '../policy/distributions.js';
import { ppoLossGrad, type PpoGradInput, type PpoLossValues, type PpoPolicyGrad } from './ppo-grad.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export interface PpoGaussianInput extends PpoGradInput {
  /** [batch * outSize] net outputs: the means in columns 0..d-1; with a log-scale head (logStd null) the raw log-scales in d..2d-1. */
  readonly out: Float32Array;
  /** [batch * actionSize] the actions as sampled. */
  readonly actions: Float32Array;
  /** d. */
  readonly actionSize: number;
  /** [actionSize] the state-independent log-std, or null for a log-scale head in `out`. */
  readonly logStd: Float32Array | null;
}

/** log N(a; mu, exp(s)^2) summed over the d dimensions of row i (out as in PpoGaussianInput), in f64. */
export function gaussianLogProbAt(out: ArrayLike<number>, actions: ArrayLike<number>, logStd: ArrayLike<number> | null, d: number, i: number): number {
  const w = logStd === null ? 2 * d : d;
  let lp = 0;
  for (let j = 0; j < d; j++) {
    const s = logStd === null ? clampLogScale(out[i * w + d + j]) : logStd[j];
    const z = (actions[i * d + j] - out[i * w + j]) * Math.exp(-s);
    lp += -0.5 * z * z - s - HALF_LOG_2PI;
  }
  return lp;
}

function clampLogScale(raw: number): number {
  return Math.min(Math.max(raw, LOG_SCALE_MIN), LOG_SCALE_MAX);
}

/** A diagonal Gaussian policy's outputs on a batch: what its side of a loss reads. */
export type GaussianOutputs = Pick<PpoGaussianInput, 'out' | 'actions' | 'actionSize' | 'logStd'>;

/** The Gaussian side of a policy loss (PPO's, A2C's): gradients into `dOut` [batch * outSize] and, shared, `dLogStd` [d]. */
export class GaussianPolicyGrad implements PpoPolicyGrad {
  entropy = 0;
  private readonly w: number;

  constructor(
    private readonly x: GaussianOutputs,
    private readonly dOut: Float32Array,
    private readonly dLogStd: Float32Array | null,
  ) {
    this.w = x.logStd === null ? 2 * x.actionSize : x.actionSize;
    dLogStd?.fill(0);
  }

  private logScale(i: number, j: number): number {
    const { logStd, out, actionSize: d } = this.x;
    return logStd === null ? clampLogScale(out[i * this.w + d + j]) : logStd[j];
  }

  forward(i: number): number {
    const d = this.x.actionSize;
    let h = 0;
    for (let j = 0; j < d; j++) h += this.logScale(i, j) + 0.5 + HALF_LOG_2PI;
    this.entropy = h;
    return gaussianLogProbAt(this.x.out, this.x.actions, this.x.logStd, d, i);
  }

  backward(i: number, dLogp: number, dEntropy: number): void {
    const { out, actions, actionSize: d, logStd } = this.x;
    const w = this.w;
    for (let j = 0; j < d; j++) {
      const s = this.logScale(i, j);
      const invStd = Math.exp(-s);
      const z = (actions[i * d + j] - out[i * w + j]) * invStd;
      this.dOut[i * w + j] = dLogp * z * invStd;
      const ds = dLogp * (z * z - 1) + dEntropy;
      if (logStd === null) {
        const raw = out[i * w + d + j];
        this.dOut[i * w + d + j] = raw >= LOG_SCALE_MIN && raw <= LOG_SCALE_MAX ? ds : 0;
      } else if (this.dLogStd !== null) {
        this.dLogStd[j] += ds;
      }
    }
  }
}

/**
 * The PPO loss terms, with d total / d(net outputs) written into `dOut` [batch * outSize],
 * d total / d(log-std) into `dLogStd` [actionSize] (state-independent log-std only; null otherwise)
 * and d total / d V into `dValue` [batch].
 */
export function ppoGaussianLossGrad(x: PpoGaussianInput, dOut: Float32Array, dLogStd: Float32Array | null, dValue: Float32Array): PpoLossValues {
  if ((x.logStd === null) !== (dLogStd === null)) throw new RangeError('ppoGaussianLossGrad: dLogStd must be given exactly when logStd is');
  return ppoLossGrad(x, new GaussianPolicyGrad(x, dOut, dLogStd), dValue);
}
