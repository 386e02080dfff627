/**
 * Temporal-difference targets and regression losses for the DQN family, as pure functions on tfjs
 * tensors. Shapes: B = batch size, A = number of actions.
 *
 * Targets are computed OUTSIDE the gradient closure (tfjs has no stopGradient): call `qTargets`
 * first, then pass its result into the loss inside `variableGrads` as a constant.
 * Q(s,a) is selected with a one-hot mask (`selectQ`) because the wasm backend has no gradient
 * kernel for gather.
 * tfjs 4.22 wasm bug: `tf.oneHot(..., dtype 'float32')` writes the int32 bit patterns into the
 * float buffer (1 reads as 1.4e-45); build one-hot masks as int32 and cast.
 */
import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { LossSpec } from '@gymlab/spec';
import { notRegressionLoss } from '../built.js';

export interface QTargetInputs {
  /** r, [B] */
  readonly reward: Tensor1D;
  /** 1 where the transition terminated (no bootstrap), 0 otherwise (incl. truncated), [B] */
  readonly terminated: Tensor1D;
  /** Q_eval(s', .), the net that values the next action, [B, A] */
  readonly nextQEval: Tensor2D;
  /**
   * Q_select(s', .), the net that picks the next action, [B, A]. `null` or the same tensor as
   * `nextQEval`: max over nextQEval (DQN, VanillaDQN). The online net with `nextQEval` from the
   * target net: Double DQN.
   */
  readonly nextQSelect: Tensor2D | null;
  readonly gamma: number;
}

/**
 * y = r + gamma * (1 - terminated) * Q_eval(s', argmax_a Q_select(s', a)), [B].
 * With Q_select = Q_eval this is r + gamma * (1 - terminated) * max_a Q_eval(s', a).
 */
export function qTargets(tf: Tf, inp: QTargetInputs): Tensor1D {
  return tf.tidy(() => {
    const nextV =
      inp.nextQSelect === null || inp.nextQSelect === inp.nextQEval
        ? tf.max(inp.nextQEval, 1)
        : tf.sum(tf.mul(inp.nextQEval, tf.cast(tf.oneHot(tf.argMax(inp.nextQSelect, 1), inp.nextQEval.shape[1]), 'float32')), 1);
    const notDone = tf.sub(1, inp.terminated);
    return tf.add(inp.reward, tf.mul(tf.mul(notDone, nextV), inp.gamma)) as Tensor1D;
  });
}

/** Q(s, a) for the taken actions: sum_a' Q(s, a') * onehot(a)[a'], [B] from q [B, A] and mask [B, A]. */
export function selectQ(tf: Tf, q: Tensor2D, actionMask: Tensor2D): Tensor1D {
  return tf.sum(tf.mul(q, actionMask), 1) as Tensor1D;
}

/** torch.nn.MSELoss (mean): mean((pred - target)^2). pred, target: [B] -> scalar. */
export function mseLoss(tf: Tf, pred: Tensor1D, target: Tensor1D): Scalar {
  return tf.mean(tf.square(tf.sub(pred, target))) as Scalar;
}

/**
 * torch.nn.SmoothL1Loss (mean) with threshold `beta` (torch default 1):
 * 0.5 d^2 / beta for |d| < beta, |d| - 0.5 beta otherwise; d = pred - target. [B] -> scalar.
 * Written as 0.5 q^2 / beta + (|d| - q) with q = min(|d|, beta): the same value, no select op.
 */
export function smoothL1Loss(tf: Tf, pred: Tensor1D, target: Tensor1D, beta = 1): Scalar {
  return tf.tidy(() => {
    const absD = tf.abs(tf.sub(pred, target));
    if (beta <= 0) return tf.mean(absD) as Scalar; // torch: beta = 0 is L1
    const quad = tf.minimum(absD, beta);
    const lin = tf.sub(absD, quad);
    return tf.mean(tf.add(tf.mul(tf.square(quad), 0.5 / beta), lin)) as Scalar;
  });
}

/** torch.nn.HuberLoss (mean) with `delta` (default 1): delta * SmoothL1 with beta = delta. [B] -> scalar. */
export function huberLoss(tf: Tf, pred: Tensor1D, target: Tensor1D, delta = 1): Scalar {
  return tf.tidy(() => {
    const absD = tf.abs(tf.sub(pred, target));
    const quad = tf.minimum(absD, delta);
    const lin = tf.sub(absD, quad);
    return tf.mean(tf.add(tf.mul(tf.square(quad), 0.5), tf.mul(lin, delta))) as Scalar;
  });
}

/** torch.nn.L1Loss (mean): mean(|pred - target|). [B] -> scalar. */
export function l1Loss(tf: Tf, pred: Tensor1D, target: Tensor1D): Scalar {
  return tf.mean(tf.abs(tf.sub(pred, target))) as Scalar;
}

export type RegressionLoss = (pred: Tensor1D, target: Tensor1D) => Scalar;

/** The loss named by SLM Lab's `net.loss_spec`. */
export function makeTdLoss(tf: Tf, spec: LossSpec): RegressionLoss {
  switch (spec.name) {
    case 'MSELoss':
      return (p, t) => mseLoss(tf, p, t);
    case 'SmoothL1Loss':
      return (p, t) => smoothL1Loss(tf, p, t, spec.beta ?? 1);
    case 'HuberLoss':
      return (p, t) => huberLoss(tf, p, t, spec.delta ?? 1);
    case 'L1Loss':
      return (p, t) => l1Loss(tf, p, t);
    case 'CrossEntropyLoss':
      return notRegressionLoss('CrossEntropyLoss');
  }
}
