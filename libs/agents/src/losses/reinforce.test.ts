import { describe, expect, it } from 'vitest';
import type { Tensor1D } from '@tensorflow/tfjs';
import { initBackend } from '@gymlab/backends';
import { reinforceAdvantages, reinforceLoss } from './reinforce.js';

const { tf } = await initBackend({ gpu: false, backend: 'cpu' });

describe('reinforceAdvantages', () => {
  it('standardises the returns with the unbiased std: [1, 2, 3] -> [-1, 0, 1]', () => {
    const a = reinforceAdvantages([1, 2, 3], false);
    // mean 2, unbiased std 1
    expect(a[0]).toBeCloseTo(-1, 6);
    expect(a[1]).toBeCloseTo(0, 6);
    expect(a[2]).toBeCloseTo(1, 6);
  });
  it('centring first gives the same standardised values (SLM Lab standardises every batch)', () => {
    expect(Array.from(reinforceAdvantages([4, 0, 2, 10], true))).toEqual(Array.from(reinforceAdvantages([4, 0, 2, 10], false)));
    // [4, 0, 2, 10]: mean 4, squared deviations 0 + 16 + 4 + 36 = 56, unbiased var 56 / 3
    expect(reinforceAdvantages([4, 0, 2, 10], true)[3]).toBeCloseTo(6 / Math.sqrt(56 / 3), 6);
  });
  it('one return: centred to 0 with center_return, kept as it is without', () => {
    expect(Array.from(reinforceAdvantages([5], true))).toEqual([0]);
    expect(Array.from(reinforceAdvantages([5], false))).toEqual([5]);
  });
});

describe('reinforceLoss', () => {
  it('policy = -mean(logp A), entropy = mean(H), total = coef * policy - entropyCoef * entropy', () => {
    const L = reinforceLoss(tf, {
      logp: tf.tensor1d([-0.5, -1, -2]),
      adv: tf.tensor1d([1, -1, 0.5]),
      entropy: tf.tensor1d([0.6, 0.3, 0.9]),
      policyLossCoef: 2,
      entropyCoef: 0.1,
    });
    // logp * A = [-0.5, 1, -1]: mean -1/6, policy 1/6; entropy 0.6; total 2/6 - 0.06
    expect(L.policy.dataSync()[0]).toBeCloseTo(1 / 6, 6);
    expect(L.entropy.dataSync()[0]).toBeCloseTo(0.6, 6);
    expect(L.total.dataSync()[0]).toBeCloseTo(2 / 6 - 0.06, 6);
  });
  it('the gradient of the policy term in logp is -A / B', () => {
    const adv = tf.tensor1d([1, -1, 0.5]);
    const g = tf.grad((logp) => reinforceLoss(tf, { logp: logp as Tensor1D, adv, entropy: tf.zeros([3]), policyLossCoef: 1, entropyCoef: 0 }).total)(tf.tensor1d([-0.5, -1, -2]));
    const v = Array.from(g.dataSync());
    expect(v[0]).toBeCloseTo(-1 / 3, 6);
    expect(v[1]).toBeCloseTo(1 / 3, 6);
    expect(v[2]).toBeCloseTo(-0.5 / 3, 6);
  });
});
