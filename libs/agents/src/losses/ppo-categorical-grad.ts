/**
 * PPO's loss (ppo-grad.ts) for a Categorical policy on plain arrays: per row
 *   lp_i = log softmax(z_i)[a_i],  H_i = -sum_j p_ij log p_ij,
 *   d lp_i / d z_ij = [j = a_i] - p_ij,  d H_i / d z_ij = -p_ij (log p_ij + H_i).
 */
import { ppoLossGrad, type PpoGradInput, type PpoLossValues, type PpoPolicyGrad } from './ppo-grad.js';

export { elementwiseLossGrad, type PpoLossValues } from './ppo-grad.js';

export interface PpoCategoricalInput extends PpoGradInput {
  /** [batch * numActions] logits, row-major. */
  readonly logits: Float32Array;
  /** [batch] action indices. */
  readonly actions: ArrayLike<number>;
  readonly numActions: number;
}

/** log softmax(z[at .. at+n])[a], in f64. */
export function logSoftmaxAt(z: ArrayLike<number>, at: number, n: number, a: number): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, z[at + j]);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(z[at + j] - max);
  return z[at + a] - max - Math.log(sum);
}

/** A Categorical policy's outputs on a batch: what its side of a loss reads. */
export type CategoricalOutputs = Pick<PpoCategoricalInput, 'logits' | 'actions' | 'numActions'>;

/** The Categorical side of a policy loss (PPO's, A2C's): gradients into `dLogits` [batch * numActions]. */
export class CategoricalPolicyGrad implements PpoPolicyGrad {
  private readonly logp: Float64Array;
  entropy = 0;

  constructor(
    private readonly x: CategoricalOutputs,
    private readonly dLogits: Float32Array,
  ) {
    this.logp = new Float64Array(x.numActions);
  }

  forward(i: number): number {
    const { logits, numActions: n } = this.x;
    const z = i * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, logits[z + j]);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(logits[z + j] - max);
    const lse = max + Math.log(sum);
    let h = 0;
    for (let j = 0; j < n; j++) {
      this.logp[j] = logits[z + j] - lse;
      h -= Math.exp(this.logp[j]) * this.logp[j];
    }
    this.entropy = h;
    return this.logp[this.x.actions[i]];
  }

  backward(i: number, dLogp: number, dEntropy: number): void {
    const n = this.x.numActions;
    const a = this.x.actions[i];
    for (let j = 0; j < n; j++) {
      const p = Math.exp(this.logp[j]);
      this.dLogits[i * n + j] = dLogp * ((j === a ? 1 : 0) - p) - dEntropy * p * (this.logp[j] + this.entropy);
    }
  }
}

/**
 * The PPO loss terms, with d total / d logits written into `dLogits` [batch * numActions] and
 * d total / d V into `dValue` [batch].
 */
export function ppoCategoricalLossGrad(x: PpoCategoricalInput, dLogits: Float32Array, dValue: Float32Array): PpoLossValues {
  return ppoLossGrad(x, new CategoricalPolicyGrad(x, dLogits), dValue);
}
