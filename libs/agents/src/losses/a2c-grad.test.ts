import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { LossSpec } from '@gymlab/spec';
import { describePolicyCases, expectClose, floats, type PolicyUnderTest } from '../test-utils/policy-grad.js';
import { a2cLossGrad } from './a2c-grad.js';
import { a2cLoss } from './actor-critic.js';

interface Case {
  readonly name: string;
  readonly batch: number;
  readonly policyLossCoef: number;
  /** normalize_v_targets: V enters the value loss as clip(V / scale, -10, 10). */
  readonly valueScale: number | null;
  readonly lossSpec?: LossSpec;
}

/** a2cLossGrad with `p`'s side against a2cLoss (with the ReturnNormalizer's tfjs ops when scaled) through tfjs autodiff. */
function checkAgainstTfjs(tf: Tf, c: Case, rng: Rng, p: PolicyUnderTest): void {
  const B = c.batch;
  // with a scale, a few values far enough out that the clip at +/-10 cuts their gradient
  const value = Float32Array.from({ length: B }, (_, i) => (c.valueScale !== null && i % 7 === 0 ? (i % 2 === 0 ? 6 : -6) : rng.uniform(-1, 1)));
  const x = {
    adv: floats(rng, B, -2, 2), value, ret: floats(rng, B, -2, 2), batch: B,
    policyLossCoef: c.policyLossCoef, valLossCoef: 0.5, entropyCoef: 0.01, lossSpec: c.lossSpec, valueScale: c.valueScale,
  };
  const grads = p.inputs.map((a) => new Float32Array(a.length));
  const dValue = new Float32Array(B);
  const got = a2cLossGrad(x, p.policyGrad(grads), dValue);

  const lossOf = (ins: Tensor[], v: Tensor) => {
    const pd = p.params(ins);
    const scale = c.valueScale;
    return a2cLoss(tf, {
      logp: p.dist.logProb(tf, pd, tf.tensor2d(p.encoded, p.encodedShape)), entropy: p.dist.entropy(tf, pd), adv: tf.tensor1d(x.adv), ret: tf.tensor1d(x.ret),
      value: scale === null ? (v as Tensor1D) : (tf.clipByValue(tf.div(v, scale), -10, 10) as Tensor1D),
      policyLossCoef: x.policyLossCoef, valLossCoef: x.valLossCoef, entropyCoef: x.entropyCoef, lossSpec: x.lossSpec,
    });
  };
  const ins = p.inputs.map((a, k) => tf.tensor(a, p.shapes[k]));
  const v = tf.tensor1d(value);
  const want = lossOf(ins, v);
  for (const k of ['policy', 'value', 'entropy', 'total'] as const) {
    const w = want[k].dataSync()[0];
    expect(Math.abs(got[k] - w), k).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(w), 1e-3));
  }
  const g = tf.grads((...xs: Tensor[]) => lossOf(xs.slice(0, -1), xs[xs.length - 1]).total as Scalar)([...ins, v]);
  grads.forEach((a, k) => expectClose(a, g[k].dataSync(), 1e-5));
  const gv = g[g.length - 1].dataSync();
  expectClose(dValue, gv, 1e-5);
  if (c.valueScale !== null) expect(gv[0]).toBe(0); // row 0 is clipped: no gradient, here as in tfjs
}

const cases: Case[] = [
  { name: 'MSE, batch 128', batch: 128, policyLossCoef: 1, valueScale: null },
  { name: 'MSE through the return normaliser (scale 0.5), batch 37', batch: 37, policyLossCoef: 1, valueScale: 0.5 },
  { name: 'SmoothL1 (beta 0.5), policy_loss_coef 0.7, batch 21', batch: 21, policyLossCoef: 0.7, valueScale: null, lossSpec: { name: 'SmoothL1Loss', beta: 0.5 } },
  { name: 'Huber (delta 0.7) through the return normaliser (scale 0.55), batch 64', batch: 64, policyLossCoef: 1, valueScale: 0.55, lossSpec: { name: 'HuberLoss', delta: 0.7 } },
];

describePolicyCases('a2cLossGrad', cases, checkAgainstTfjs);
