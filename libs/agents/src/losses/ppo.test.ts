import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { elementwiseLoss, ppoLoss } from './ppo.js';

const { tf } = await initBackend({ gpu: false, backend: 'cpu' });

const t = (...x: number[]) => tf.tensor1d(x);

describe('ppoLoss (hand-computed)', () => {
  it('clipped surrogate, MSE value loss, entropy bonus', () => {
    // ratios r = [2, 0.5, 1] via logp - oldLogp = [ln 2, -ln 2, 0]; A = [1, 1, -2]; eps 0.2
    // row0: min(2*1, 1.2*1) = 1.2; row1: min(0.5, 0.8) = 0.5; row2: min(-2, -2) = -2
    // policy = -(1.2 + 0.5 - 2)/3 = 0.1
    // value: V = [1, 2, 3], ret = [0, 2, 5] -> mse = (1 + 0 + 4)/3 = 5/3
    // entropy = mean([0.5, 0.7, 0.9]) = 0.7
    // total = 0.1 + 0.5 * 5/3 - 0.01 * 0.7
    const l = ppoLoss(tf, {
      logp: t(Math.log(2), -Math.log(2), 0), oldLogp: t(0, 0, 0), adv: t(1, 1, -2),
      value: t(1, 2, 3), oldValue: t(1, 2, 3), ret: t(0, 2, 5), entropy: t(0.5, 0.7, 0.9),
      clipEps: 0.2, clipVloss: false, valLossCoef: 0.5, entropyCoef: 0.01,
    });
    expect(l.policy.dataSync()[0]).toBeCloseTo(0.1, 6);
    expect(l.value.dataSync()[0]).toBeCloseTo(5 / 3, 6);
    expect(l.entropy.dataSync()[0]).toBeCloseTo(0.7, 6);
    expect(l.total.dataSync()[0]).toBeCloseTo(0.1 + 0.5 * (5 / 3) - 0.007, 6);
    // approx_kl = mean((r - 1) - ln r) = ((1 - ln 2) + (-0.5 + ln 2) + 0) / 3 = 0.5 / 3
    expect(l.approxKl.dataSync()[0]).toBeCloseTo(0.5 / 3, 6);
    // |r - 1| = [1, 0.5, 0] > 0.2 in two rows of three
    expect(l.clipFraction.dataSync()[0]).toBeCloseTo(2 / 3, 6);
  });
  it('negative advantages take the pessimistic (clipped) side below 1 - eps', () => {
    // r = 0.5, A = -1: min(-0.5, 0.8 * -1 = -0.8) = -0.8 -> policy 0.8
    const l = ppoLoss(tf, {
      logp: t(-Math.log(2)), oldLogp: t(0), adv: t(-1), value: t(0), oldValue: t(0), ret: t(0), entropy: t(0),
      clipEps: 0.2, clipVloss: false, valLossCoef: 1, entropyCoef: 0,
    });
    expect(l.policy.dataSync()[0]).toBeCloseTo(0.8, 6);
  });
  it('value clipping takes the larger of the clipped and unclipped losses', () => {
    // V_old = 0, V = 1, ret = 1, eps 0.2: unclipped 0, clipped (0.2 - 1)^2 = 0.64 -> 0.64
    // V = -1, ret = 1: unclipped 4, clipped (-0.2 - 1)^2 = 1.44 -> 4 ; mean = 2.32
    const l = ppoLoss(tf, {
      logp: t(0, 0), oldLogp: t(0, 0), adv: t(0, 0), value: t(1, -1), oldValue: t(0, 0), ret: t(1, 1), entropy: t(0, 0),
      clipEps: 0.2, clipVloss: true, valLossCoef: 1, entropyCoef: 0,
    });
    expect(l.value.dataSync()[0]).toBeCloseTo(2.32, 5);
  });
  it('elementwise losses follow torch (SmoothL1 beta, Huber delta, L1)', () => {
    const p = t(0, 0, 0);
    const y = t(0.5, 2, -3);
    expect(Array.from(elementwiseLoss(tf, p, y, { name: 'SmoothL1Loss', beta: 1 }).dataSync())).toEqual([0.125, 1.5, 2.5]);
    expect(Array.from(elementwiseLoss(tf, p, y, { name: 'HuberLoss', delta: 2 }).dataSync())).toEqual([0.125, 2, 4]);
    expect(Array.from(elementwiseLoss(tf, p, y, { name: 'L1Loss' }).dataSync())).toEqual([0.5, 2, 3]);
  });
  it('SmoothL1 and Huber value losses have gradients (d inside the threshold, threshold * sign(d) outside, for Huber)', () => {
    const y = t(0.5, 2, -3);
    const g1 = tf.grad((p) => tf.sum(elementwiseLoss(tf, p as typeof y, y, { name: 'SmoothL1Loss', beta: 1 })))(t(0, 0, 0));
    expect(Array.from(g1.dataSync())).toEqual([-0.5, -1, 1]);
    const g2 = tf.grad((p) => tf.sum(elementwiseLoss(tf, p as typeof y, y, { name: 'HuberLoss', delta: 2 })))(t(0, 0, 0));
    expect(Array.from(g2.dataSync())).toEqual([-0.5, -2, 2]);
  });
});
