import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { LossSpec } from '@gymlab/spec';
import { describePolicyCases, expectClose, floats, type PolicyUnderTest } from '../test-utils/policy-grad.js';
import { CategoricalPolicyGrad, ppoCategoricalLossGrad } from './ppo-categorical-grad.js';
import { GaussianPolicyGrad, ppoGaussianLossGrad } from './ppo-gaussian-grad.js';
import { ppoLossGrad, type PpoGradInput } from './ppo-grad.js';
import { ppoLoss } from './ppo.js';

interface Case {
  readonly name: string;
  readonly batch: number;
  readonly clipVloss: boolean;
  readonly lossSpec?: LossSpec;
}

/** Everything but the policy's inputs and the old log-probs. */
type CommonInput = Omit<PpoGradInput, 'oldLogp'>;

function checkAgainstTfjs(tf: Tf, c: Case, rng: Rng, p: PolicyUnderTest): void {
  const B = c.batch;
  const enc = () => tf.tensor2d(p.encoded, p.encodedShape);
  const tensors = () => p.inputs.map((x, k) => tf.tensor(x, p.shapes[k]));
  // old log-probs near the current ones so ratios fall on both sides of the clip range
  const logpNow = tf.tidy(() => p.dist.logProb(tf, p.params(tensors()), enc()).dataSync());
  const oldLogp = Float32Array.from(logpNow, (v) => v + rng.uniform(-0.4, 0.4));
  const value = floats(rng, B, -1, 1);
  const common: CommonInput = {
    adv: floats(rng, B, -2, 2), value, oldValue: Float32Array.from(value, (v) => v + rng.uniform(-0.4, 0.4)), ret: floats(rng, B, -2, 2),
    batch: B, clipEps: 0.2, clipVloss: c.clipVloss, valLossCoef: 0.5, entropyCoef: 0.01, lossSpec: c.lossSpec,
  };
  const grads = p.inputs.map((x) => new Float32Array(x.length));
  const dValue = new Float32Array(B);
  const got = ppoLossGrad({ ...common, oldLogp }, p.policyGrad(grads), dValue);

  const lossOf = (ins: Tensor[], v: Tensor) => {
    const pd = p.params(ins);
    return ppoLoss(tf, {
      logp: p.dist.logProb(tf, pd, enc()), entropy: p.dist.entropy(tf, pd), value: v as Tensor1D, oldLogp: tf.tensor1d(oldLogp),
      adv: tf.tensor1d(common.adv), oldValue: tf.tensor1d(common.oldValue), ret: tf.tensor1d(common.ret),
      clipEps: common.clipEps, clipVloss: common.clipVloss, valLossCoef: common.valLossCoef, entropyCoef: common.entropyCoef, lossSpec: common.lossSpec,
    });
  };
  const ins = tensors();
  const v = tf.tensor1d(value);
  const want = lossOf(ins, v);
  for (const k of ['policy', 'value', 'entropy', 'total', 'approxKl', 'clipFraction'] as const) {
    const w = want[k].dataSync()[0];
    expect(Math.abs(got[k] - w), k).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(w), 1e-3));
  }
  expect(got.clipFraction).toBeGreaterThan(0); // the clipped branch is exercised
  const g = tf.grads((...xs: Tensor[]) => lossOf(xs.slice(0, -1), xs[xs.length - 1]).total as Scalar)([...ins, v]);
  grads.forEach((x, k) => expectClose(x, g[k].dataSync(), 1e-5));
  expectClose(dValue, g[g.length - 1].dataSync(), 1e-5);
}

const cases: Case[] = [
  { name: 'MSE, batch 128', batch: 128, clipVloss: false },
  { name: 'MSE with clipped value loss, batch 37', batch: 37, clipVloss: true },
  { name: 'SmoothL1 (beta 0.5), batch 21', batch: 21, clipVloss: false, lossSpec: { name: 'SmoothL1Loss', beta: 0.5 } },
  { name: 'Huber (delta 0.7) with clipped value loss, batch 64', batch: 64, clipVloss: true, lossSpec: { name: 'HuberLoss', delta: 0.7 } },
];

describePolicyCases('ppoLossGrad', cases, checkAgainstTfjs);

describe('the per-policy wrappers', () => {
  it('ppoCategoricalLossGrad and ppoGaussianLossGrad give what ppoLossGrad gives with their policy', () => {
    const rng = new Rng(5);
    const B = 9;
    const common = { adv: floats(rng, B, -2, 2), value: floats(rng, B, -1, 1), oldValue: floats(rng, B, -1, 1), ret: floats(rng, B, -2, 2), oldLogp: floats(rng, B, -2, 0), batch: B, clipEps: 0.2, clipVloss: true, valLossCoef: 0.5, entropyCoef: 0.01 };
    const logits = floats(rng, B * 3, -2, 2);
    const actions = Int32Array.from({ length: B }, (_, i) => i % 3);
    const [g1, g2, v1, v2] = [new Float32Array(B * 3), new Float32Array(B * 3), new Float32Array(B), new Float32Array(B)];
    expect(ppoCategoricalLossGrad({ ...common, logits, actions, numActions: 3 }, g1, v1)).toEqual(ppoLossGrad(common, new CategoricalPolicyGrad({ logits, actions, numActions: 3 }, g2), v2));
    expect([g1, v1]).toEqual([g2, v2]);
    const out = floats(rng, B * 2, -1, 1);
    const acts = floats(rng, B, -1, 1);
    const [h1, h2, w1, w2] = [new Float32Array(B * 2), new Float32Array(B * 2), new Float32Array(B), new Float32Array(B)];
    expect(ppoGaussianLossGrad({ ...common, out, actions: acts, actionSize: 1, logStd: null }, h1, null, w1)).toEqual(ppoLossGrad(common, new GaussianPolicyGrad({ out, actions: acts, actionSize: 1, logStd: null }, h2, null), w2));
    expect([h1, w1]).toEqual([h2, w2]);
    expect(() => ppoGaussianLossGrad({ ...common, out, actions: acts, actionSize: 1, logStd: null }, h1, new Float32Array(1), w1)).toThrow(/dLogStd must be given exactly when logStd is/);
  });
});
