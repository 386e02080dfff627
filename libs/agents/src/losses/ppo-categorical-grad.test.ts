import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { LossSpec } from '@gymlab/spec';
import { Categorical } from '../policy/action-dist.js';
import { ppoCategoricalLossGrad } from './ppo-categorical-grad.js';
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

const cases: { name: string; batch: number; numActions: number; clipVloss: boolean; lossSpec?: LossSpec }[] = [
  { name: 'MSE, 2 actions, batch 128', batch: 128, numActions: 2, clipVloss: false },
  { name: 'MSE with clipped value loss, 3 actions, batch 37', batch: 37, numActions: 3, clipVloss: true },
  { name: 'SmoothL1 (beta 0.5), 5 actions, batch 21', batch: 21, numActions: 5, clipVloss: false, lossSpec: { name: 'SmoothL1Loss', beta: 0.5 } },
  { name: 'Huber (delta 0.7) with clipped value loss, 4 actions, batch 64', batch: 64, numActions: 4, clipVloss: true, lossSpec: { name: 'HuberLoss', delta: 0.7 } },
];

describe('ppoCategoricalLossGrad against ppoLoss through tfjs autodiff', () => {
  for (const c of cases) {
    it(`${c.name}: every term and the gradients w.r.t. logits and values within 1e-5`, () => {
      const rng = new Rng(c.batch * 10 + c.numActions);
      const { batch: B, numActions: n } = c;
      const logits = floats(rng, B * n, -2, 2);
      const actions = Int32Array.from({ length: B }, () => Math.floor(rng.random() * n));
      const dist = new Categorical(n);
      const enc = dist.encode(actions, B);
      // old log-probs near the current ones so ratios fall on both sides of the clip range
      const logpNow = tf.tidy(() => dist.logProb(tf, tf.tensor2d(logits, [B, n]), tf.tensor2d(enc, [B, n])).dataSync());
      const oldLogp = Float32Array.from(logpNow, (v) => v + rng.uniform(-0.4, 0.4));
      const adv = floats(rng, B, -2, 2);
      const value = floats(rng, B, -1, 1);
      const oldValue = Float32Array.from(value, (v) => v + rng.uniform(-0.4, 0.4));
      const ret = floats(rng, B, -2, 2);
      const hp = { clipEps: 0.2, clipVloss: c.clipVloss, valLossCoef: 0.5, entropyCoef: 0.01, lossSpec: c.lossSpec };

      const dLogits = new Float32Array(B * n);
      const dValue = new Float32Array(B);
      const got = ppoCategoricalLossGrad({ logits, actions, oldLogp, adv, value, oldValue, ret, batch: B, numActions: n, ...hp }, dLogits, dValue);

      const lossOf = (z: Tensor, v: Tensor) =>
        ppoLoss(tf, {
          logp: dist.logProb(tf, z as Tensor2D, tf.tensor2d(enc, [B, n])),
          entropy: dist.entropy(tf, z as Tensor2D),
          value: v as Tensor1D,
          oldLogp: tf.tensor1d(oldLogp),
          adv: tf.tensor1d(adv),
          oldValue: tf.tensor1d(oldValue),
          ret: tf.tensor1d(ret),
          ...hp,
        });
      const z = tf.tensor2d(logits, [B, n]);
      const v = tf.tensor1d(value);
      const want = lossOf(z, v);
      for (const k of ['policy', 'value', 'entropy', 'total', 'approxKl', 'clipFraction'] as const) {
        const w = want[k].dataSync()[0];
        expect(Math.abs(got[k] - w), k).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(w), 1e-3));
      }
      expect(got.clipFraction).toBeGreaterThan(0); // the clipped branch is exercised
      const [gz, gv] = tf.grads((zz: Tensor, vv: Tensor) => lossOf(zz, vv).total as Scalar)([z, v]);
      expectClose(dLogits, gz.dataSync(), 1e-5);
      expectClose(dValue, gv.dataSync(), 1e-5);
    });
  }
});
