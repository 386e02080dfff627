import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import * as sac from './sac.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

const vals = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());

// pi = softmax([0, ln 3]) = [0.25, 0.75]; avg of Q1 [2, 4] and Q2 [0, 2] is [1, 3]
const LOGITS = [[0, Math.log(3)]];
const SOFT_V = 0.25 * (1 - 0.1 * Math.log(0.25)) + 0.75 * (3 - 0.1 * Math.log(0.75)); // alpha 0.1: 2.5562336

describe('SAC critic targets', () => {
  it('continuous: r + gamma (1 - done) (min(Q1, Q2) - alpha log pi)', () => {
    const y = sac.sacContinuousTarget(tf, {
      reward: tf.tensor1d([1, 2]),
      terminated: tf.tensor1d([0, 1]),
      nextQ1: tf.tensor1d([3, 5]),
      nextQ2: tf.tensor1d([4, 1]),
      nextLogProb: tf.tensor1d([-1, 2]),
      alpha: 0.5,
      gamma: 0.9,
    });
    // row 0: min 3, minus 0.5 * -1 -> 3.5; 1 + 0.9 * 3.5 = 4.15. Row 1 terminated: 2.
    const v = vals(y);
    expect(v[0]).toBeCloseTo(4.15, 5);
    expect(v[1]).toBeCloseTo(2, 6);
  });

  it('discrete: the expectation over actions of the averaged critics minus alpha log pi', () => {
    const y = sac.sacDiscreteTarget(tf, {
      reward: tf.tensor1d([0.5, 0.5]),
      terminated: tf.tensor1d([0, 1]),
      nextLogits: tf.tensor2d([...LOGITS, ...LOGITS]),
      nextQ1: tf.tensor2d([[2, 4], [2, 4]]),
      nextQ2: tf.tensor2d([[0, 2], [0, 2]]),
      alpha: 0.1,
      gamma: 0.5,
    });
    const v = vals(y);
    expect(SOFT_V).toBeCloseTo(2.5562336, 6);
    expect(v[0]).toBeCloseTo(0.5 + 0.5 * SOFT_V, 5); // 1.7781168
    expect(v[1]).toBeCloseTo(0.5, 6);
  });
});

describe('SAC policy losses', () => {
  it('continuous: mean(alpha log pi - min(Q1, Q2))', () => {
    const l = sac.sacContinuousPolicyLoss(tf, tf.tensor1d([-1, 2]), tf.tensor1d([3, 5]), tf.tensor1d([4, 1]), 0.5);
    expect(vals(l)[0]).toBeCloseTo((-0.5 - 3 + (1 - 1)) / 2, 6); // -1.75
  });

  it('discrete: sum_a pi (alpha log pi - avg Q), and the entropy', () => {
    const { loss, entropy } = sac.sacDiscretePolicyLoss(tf, tf.tensor2d(LOGITS), tf.tensor2d([[2, 4]]), tf.tensor2d([[0, 2]]), 0.1);
    expect(vals(loss)[0]).toBeCloseTo(-SOFT_V, 5);
    expect(vals(entropy)[0]).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 5); // 0.5623351
  });

  it('the discrete policy gradient moves probability to the action of higher soft value', () => {
    const logits = tf.variable(tf.tensor2d(LOGITS));
    const g = tf.grad((x: Tensor) => sac.sacDiscretePolicyLoss(tf, x.reshape([1, 2]), tf.tensor2d([[2, 4]]), tf.tensor2d([[0, 2]]), 0.1).loss)(logits.reshape([2]));
    const d = vals(g);
    expect(d[1]).toBeLessThan(0); // descending raises the logit of the better action
    expect(d[0] + d[1]).toBeCloseTo(0, 6); // softmax gradients sum to zero
    logits.dispose();
  });
});

describe('SAC alpha losses', () => {
  it('continuous: -mean(alpha (log pi + target)); d/dlog_alpha equals it', () => {
    const logProb = tf.tensor1d([-1, 2]);
    const f = (la: Tensor): Scalar => sac.sacContinuousAlphaLoss(tf, la as Tensor1D, logProb, -1);
    const la = tf.tensor1d([Math.log(2)]);
    // alpha 2: -mean(2 * (-2), 2 * 1) = 1
    expect(vals(f(la))[0]).toBeCloseTo(1, 5);
    expect(vals(tf.grad(f)(la))[0]).toBeCloseTo(1, 5);
  });

  it('discrete: -alpha (target - H): alpha falls while the entropy is above the target', () => {
    const target = sac.autoTargetEntropy({ kind: 'discrete', n: 2 });
    expect(target).toBeCloseTo(0.6 * Math.LN2, 9); // 0.4158883
    const f = (la: Tensor): Scalar => sac.sacDiscreteAlphaLoss(tf, la as Tensor1D, 0.5, target);
    const la = tf.tensor1d([0]);
    expect(vals(f(la))[0]).toBeCloseTo(0.5 - 0.6 * Math.LN2, 5); // 0.0841117
    expect(vals(tf.grad(f)(la))[0]).toBeGreaterThan(0); // gradient descent lowers log alpha
  });

  it('continuous target entropy is -|A|', () => {
    expect(sac.autoTargetEntropy({ kind: 'box', size: 3 })).toBe(-3);
    expect(sac.autoTargetEntropy({ kind: 'discrete', n: 4 }, 0.98)).toBeCloseTo(0.98 * Math.log(4), 12);
  });
});
