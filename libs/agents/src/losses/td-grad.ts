/**
 * The DQN family's TD regression loss on plain arrays, for nets that backpropagate themselves (the
 * fast CPU path): the value of `loss_spec`(Q(s, a), y) averaged over the batch, as `makeTdLoss`
 * computes it on tfjs tensors, and its gradient with respect to every Q output. Only the taken
 * action's column of a row has a gradient; the other columns are written 0.
 * Shapes: B = batch, A = actions; q [B * A] row-major, actions [B], targets [B].
 */
import type { LossSpec } from '@gymlab/spec';
import { notRegressionLoss } from '../built.js';

export interface TdLossGradInputs {
  /** Q(s, .) of the online net, [B * A]. */
  readonly q: ArrayLike<number>;
  /** Taken action of each row, [B]. */
  readonly actions: ArrayLike<number>;
  /** y (no gradient), [B]. */
  readonly targets: ArrayLike<number>;
  readonly batch: number;
  readonly numActions: number;
  readonly lossSpec: LossSpec;
}

/**
 * d loss / d (Q(s,a) - y) of one row before the 1/B of the mean, for the residual d:
 * MSELoss 2d; SmoothL1Loss(beta) d / beta where |d| < beta, else sign(d) (beta <= 0: L1);
 * HuberLoss(delta) d where |d| <= delta, else delta sign(d); L1Loss sign(d).
 * And the row's loss term, returned through `term`.
 */
function rowLoss(spec: LossSpec, d: number): { term: number; grad: number } {
  const a = Math.abs(d);
  switch (spec.name) {
    case 'MSELoss':
      return { term: d * d, grad: 2 * d };
    case 'SmoothL1Loss': {
      const beta = spec.beta ?? 1;
      if (beta <= 0 || a >= beta) return { term: beta <= 0 ? a : a - 0.5 * beta, grad: Math.sign(d) };
      return { term: (0.5 * d * d) / beta, grad: d / beta };
    }
    case 'HuberLoss': {
      const delta = spec.delta ?? 1;
      if (a > delta) return { term: delta * (a - 0.5 * delta), grad: delta * Math.sign(d) };
      return { term: 0.5 * d * d, grad: d };
    }
    case 'L1Loss':
      return { term: a, grad: Math.sign(d) };
    case 'CrossEntropyLoss':
      return notRegressionLoss('CrossEntropyLoss');
  }
}

/**
 * Writes d loss / d q into `dq` [B * A] (zero outside the taken actions) and |Q(s,a) - y| into
 * `absTd` [B] when given (PrioritizedReplay's priorities); returns the loss (mean over rows).
 */
export function tdLossGrad(inp: TdLossGradInputs, dq: Float32Array, absTd: Float32Array | null = null): number {
  const { q, actions, targets, batch: B, numActions: A, lossSpec } = inp;
  dq.fill(0, 0, B * A);
  let sum = 0;
  for (let b = 0; b < B; b++) {
    const at = b * A + actions[b];
    const d = Math.fround(q[at] - targets[b]);
    const { term, grad } = rowLoss(lossSpec, d);
    sum += term;
    dq[at] = grad / B;
    if (absTd !== null) absTd[b] = Math.abs(d);
  }
  return sum / B;
}
