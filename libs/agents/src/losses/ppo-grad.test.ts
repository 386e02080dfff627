import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { LossSpec } from '@gymlab/spec';
import { Categorical, DiagGaussian, type ActionDist } from '../policy/action-dist.js';
import { ppoCategoricalLossGrad } from './ppo-categorical-grad.js';
import { ppoGaussianLossGrad } from './ppo-gaussian-grad.js';
import type { PpoGradInput, PpoLossValues } from './ppo-grad.js';
import { ppoLoss } from './ppo.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

/** Every |got - want| within tol times the largest |want|. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  const scale = Math.max(...Array.from(want, Math.abs));
  const worst = Math.max(...Array.from(want, (w, i) => Math.abs(got[i] - w)));
  expect(worst).toBeLessThanOrEqual(tol * scale);
}

const floats = (rng: Rng, n: number, lo: number, hi: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));

interface Case {
  readonly name: string;
  readonly batch: number;
  readonly clipVloss: boolean;
  readonly lossSpec?: LossSpec;
}

/** The hand-written loss and gradients of one policy, against ppoLoss through tfjs autodiff. */
interface PolicyUnderTest {
  readonly dist: ActionDist;
  /** The differentiable inputs besides V: the net outputs, and the state-independent log-std if any. */
  readonly inputs: Float32Array[];
  readonly shapes: number[][];
  readonly encoded: Float32Array;
  readonly encodedShape: [number, number];
  /** dist.params from the inputs as tensors. */
  params(t: Tensor[]): Tensor2D;
  /** The hand-written loss, its gradients into `grads` (one per input). */
  lossGrad(oldLogp: Float32Array, common: CommonInput, grads: Float32Array[], dValue: Float32Array): PpoLossValues;
}

/** Everything but the policy's inputs and the old log-probs. */
type CommonInput = Omit<PpoGradInput, 'oldLogp'>;

function checkAgainstTfjs(c: Case, rng: Rng, p: PolicyUnderTest): void {
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
  const got = p.lossGrad(oldLogp, common, grads, dValue);

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

describe('ppoCategoricalLossGrad against ppoLoss through tfjs autodiff', () => {
  cases.forEach((c, k) => {
    const n = 2 + k;
    it(`${c.name}, ${n} actions: every term and the gradients w.r.t. logits and values within 1e-5`, () => {
      const rng = new Rng(c.batch * 10 + n);
      const B = c.batch;
      const logits = floats(rng, B * n, -2, 2);
      const actions = Int32Array.from({ length: B }, () => Math.floor(rng.random() * n));
      const dist = new Categorical(n);
      checkAgainstTfjs(c, rng, {
        dist, inputs: [logits], shapes: [[B, n]], encoded: dist.encode(actions, B), encodedShape: [B, n],
        params: ([z]) => z as Tensor2D,
        lossGrad: (oldLogp, common, [dLogits], dValue) => ppoCategoricalLossGrad({ ...common, logits, actions, oldLogp, numActions: n }, dLogits, dValue),
      });
    });
  });
});

describe('ppoGaussianLossGrad against ppoLoss through tfjs autodiff', () => {
  cases.forEach((c, k) => {
    const d = 1 + k;
    const stateIndependent = k % 2 === 0;
    it(`${c.name}, ${d} action dims, ${stateIndependent ? 'learnable log-std' : 'clamped log-scale head'}: terms and gradients within 1e-5`, () => {
      const rng = new Rng(c.batch * 100 + d);
      const B = c.batch;
      const mean = floats(rng, B * d, -1, 1);
      const actions = floats(rng, B * d, -2, 2);
      if (stateIndependent) {
        const logStd = floats(rng, d, -0.8, 0.5);
        const dist = new DiagGaussian({ d, logStd: tf.tensor1d(logStd) });
        checkAgainstTfjs(c, rng, {
          dist, inputs: [mean, logStd], shapes: [[B, d], [d]], encoded: actions, encodedShape: [B, d],
          params: ([m, s]) => tf.concat([m as Tensor2D, tf.tile(tf.reshape(s, [1, d]), [B, 1]) as Tensor2D], 1) as Tensor2D,
          lossGrad: (oldLogp, common, [dMean, dLogStd], dValue) =>
            ppoGaussianLossGrad({ ...common, out: mean, actions, actionSize: d, logStd, oldLogp }, dMean, dLogStd, dValue),
        });
      } else {
        // a few raw log-scales outside [-20, 2], where the clamp passes no gradient
        const out = Float32Array.from({ length: B * 2 * d }, (_, i) => (i % (2 * d) < d ? rng.uniform(-1, 1) : rng.random() < 0.1 ? rng.uniform(2.2, 3) : rng.uniform(-1, 1)));
        const dist = new DiagGaussian({ d, logStd: null });
        checkAgainstTfjs(c, rng, {
          dist, inputs: [out], shapes: [[B, 2 * d]], encoded: actions, encodedShape: [B, d],
          params: ([o]) => dist.params(tf, o as Tensor2D),
          lossGrad: (oldLogp, common, [dOut], dValue) => ppoGaussianLossGrad({ ...common, out, actions, actionSize: d, logStd: null, oldLogp }, dOut, null, dValue),
        });
      }
    });
  });
});
