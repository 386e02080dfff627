import { describe, expect, it } from 'vitest';
import type { Tensor1D } from '@tensorflow/tfjs';
import { initBackend } from '@gymlab/backends';
import { a2cLoss, silLoss } from './actor-critic.js';

const { tf } = await initBackend({ gpu: false, backend: 'wasm' });
const t = (...x: number[]) => tf.tensor1d(x);

describe('a2cLoss (hand-computed)', () => {
  it('policy gradient, value regression and entropy bonus with their coefficients', () => {
    // logp = [-1, -2], A = [1, -0.5]: policy = -mean(-1, 1) = 0; V = [0, 1], ret = [1, 3]: mse = (1 + 4) / 2 = 2.5
    // entropy mean 0.6; total = 2 * 0 - 0.1 * 0.6 + 0.5 * 2.5 = 1.19
    const l = a2cLoss(tf, { logp: t(-1, -2), adv: t(1, -0.5), entropy: t(0.5, 0.7), value: t(0, 1), ret: t(1, 3), policyLossCoef: 2, valLossCoef: 0.5, entropyCoef: 0.1 });
    expect(l.policy.dataSync()[0]).toBeCloseTo(0, 6);
    expect(l.value.dataSync()[0]).toBeCloseTo(2.5, 6);
    expect(l.entropy.dataSync()[0]).toBeCloseTo(0.6, 6);
    expect(l.total.dataSync()[0]).toBeCloseTo(1.19, 6);
    const p = a2cLoss(tf, { logp: t(-1), adv: t(2), entropy: t(0), value: t(0), ret: t(0), policyLossCoef: 1, valLossCoef: 1, entropyCoef: 0 });
    expect(p.policy.dataSync()[0]).toBeCloseTo(2, 6);
  });
});

describe('silLoss (hand-computed)', () => {
  it('clips R - V at 0; the policy term does not move V', () => {
    // R - V = [2, -1] -> [2, 0]; policy = -mean(-1 * 2, -3 * 0) = 1; value = mean(4, 0) / 2 = 1; total = 1 * 1 + 0.5 * 1
    const l = silLoss(tf, { logp: t(-1, -3), value: t(1, 4), ret: t(3, 3), silPolicyLossCoef: 1, silValLossCoef: 0.5 });
    expect(l.policy.dataSync()[0]).toBeCloseTo(1, 6);
    expect(l.value.dataSync()[0]).toBeCloseTo(1, 6);
    expect(l.total.dataSync()[0]).toBeCloseTo(1.5, 6);
    // d policy / d V = 0 (stop-gradient); d value / d V = -(R - V)^+ / B = [-1, 0]
    const v = t(1, 4);
    const gp = tf.grad((x) => silLoss(tf, { logp: t(-1, -3), value: x as Tensor1D, ret: t(3, 3), silPolicyLossCoef: 1, silValLossCoef: 0 }).total)(v).dataSync();
    expect(Math.abs(gp[0]) + Math.abs(gp[1])).toBe(0);
    const gv = tf.grad((x) => silLoss(tf, { logp: t(-1, -3), value: x as Tensor1D, ret: t(3, 3), silPolicyLossCoef: 0, silValLossCoef: 1 }).total)(v).dataSync();
    expect(gv[0]).toBeCloseTo(-1, 6);
    expect(gv[1]).toBeCloseTo(0, 6);
    // d total / d logp = -silPolicyLossCoef * (R - V)^+ / B = -2 * [2, 0] / 2 = [-2, 0]
    const gl = tf.grad((x) => silLoss(tf, { logp: x as Tensor1D, value: t(1, 4), ret: t(3, 3), silPolicyLossCoef: 2, silValLossCoef: 1 }).total)(t(-1, -3)).dataSync();
    expect(gl[0]).toBeCloseTo(-2, 6);
    expect(gl[1]).toBeCloseTo(0, 6);
  });
});
