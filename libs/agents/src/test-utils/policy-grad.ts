/**
 * Random policies for the tests of the hand-written policy losses (ppo-grad, a2c-grad) against
 * tfjs autodiff: a Categorical or a diagonal Gaussian (learnable log-std or clamped log-scale
 * head) on a random batch, with its tfjs distribution and its side of the loss (`PpoPolicyGrad`).
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import { CategoricalPolicyGrad } from '../losses/ppo-categorical-grad.js';
import { GaussianPolicyGrad } from '../losses/ppo-gaussian-grad.js';
import type { PpoPolicyGrad } from '../losses/ppo-grad.js';
import { Categorical, DiagGaussian, type ActionDist } from '../policy/action-dist.js';

/** Every |got - want| within tol times the largest |want|. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  const scale = Math.max(...Array.from(want, Math.abs));
  const worst = Math.max(...Array.from(want, (w, i) => Math.abs(got[i] - w)));
  expect(worst).toBeLessThanOrEqual(tol * scale);
}

export const floats = (rng: Rng, n: number, lo: number, hi: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));

/** A policy on a random batch: tfjs's view of it and the hand-written side of the loss. */
export interface PolicyUnderTest {
  readonly dist: ActionDist;
  /** The differentiable inputs besides V: the net outputs, and the state-independent log-std if any. */
  readonly inputs: Float32Array[];
  readonly shapes: number[][];
  readonly encoded: Float32Array;
  readonly encodedShape: [number, number];
  /** dist.params from the inputs as tensors. */
  params(t: Tensor[]): Tensor2D;
  /** The hand-written policy side, writing its gradients into `grads` (one per input). */
  policyGrad(grads: Float32Array[]): PpoPolicyGrad;
}

/** A Categorical over `n` actions on a batch of `B` random logits and actions. */
export function categoricalPolicy(rng: Rng, B: number, n: number): PolicyUnderTest {
  const logits = floats(rng, B * n, -2, 2);
  const actions = Int32Array.from({ length: B }, () => Math.floor(rng.random() * n));
  const dist = new Categorical(n);
  return {
    dist, inputs: [logits], shapes: [[B, n]], encoded: dist.encode(actions, B), encodedShape: [B, n],
    params: ([z]) => z as Tensor2D,
    policyGrad: ([dLogits]) => new CategoricalPolicyGrad({ logits, actions, numActions: n }, dLogits),
  };
}

/** A diagonal Gaussian over `d` dims: a learnable log-std, or a log-scale head with a few raw values outside [-20, 2] (no gradient there). */
export function gaussianPolicy(tf: Tf, rng: Rng, B: number, d: number, stateIndependent: boolean): PolicyUnderTest {
  const actions = floats(rng, B * d, -2, 2);
  if (stateIndependent) {
    const mean = floats(rng, B * d, -1, 1);
    const logStd = floats(rng, d, -0.8, 0.5);
    return {
      dist: new DiagGaussian({ d, logStd: tf.tensor1d(logStd) }), inputs: [mean, logStd], shapes: [[B, d], [d]], encoded: actions, encodedShape: [B, d],
      params: ([m, s]) => tf.concat([m as Tensor2D, tf.tile(tf.reshape(s, [1, d]), [B, 1]) as Tensor2D], 1) as Tensor2D,
      policyGrad: ([dMean, dLogStd]) => new GaussianPolicyGrad({ out: mean, actions, actionSize: d, logStd }, dMean, dLogStd),
    };
  }
  const out = Float32Array.from({ length: B * 2 * d }, (_, i) => (i % (2 * d) < d ? rng.uniform(-1, 1) : rng.random() < 0.1 ? rng.uniform(2.2, 3) : rng.uniform(-1, 1)));
  const dist = new DiagGaussian({ d, logStd: null });
  return {
    dist, inputs: [out], shapes: [[B, 2 * d]], encoded: actions, encodedShape: [B, d],
    params: ([o]) => dist.params(tf, o as Tensor2D),
    policyGrad: ([dOut]) => new GaussianPolicyGrad({ out, actions, actionSize: d, logStd: null }, dOut, null),
  };
}

/**
 * The autodiff checks of a policy loss, one test per case and policy: a Categorical over 2 + k
 * actions and a diagonal Gaussian over 1 + k dims (a learnable log-std for even k, else a clamped
 * log-scale head), on tfjs's cpu backend.
 */
export function describePolicyCases<C extends { readonly name: string; readonly batch: number }>(loss: string, cases: readonly C[], check: (tf: Tf, c: C, rng: Rng, p: PolicyUnderTest) => void): void {
  let tf: Tf;
  beforeAll(async () => {
    tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
  });
  describe(`${loss} with a Categorical policy against tfjs autodiff`, () => {
    cases.forEach((c, k) => {
      const n = 2 + k;
      it(`${c.name}, ${n} actions: every term and the gradients w.r.t. logits and values within 1e-5`, () => {
        const rng = new Rng(c.batch * 10 + n);
        check(tf, c, rng, categoricalPolicy(rng, c.batch, n));
      });
    });
  });
  describe(`${loss} with a diagonal Gaussian policy against tfjs autodiff`, () => {
    cases.forEach((c, k) => {
      const d = 1 + k;
      const stateIndependent = k % 2 === 0;
      it(`${c.name}, ${d} action dims, ${stateIndependent ? 'learnable log-std' : 'clamped log-scale head'}: terms and gradients within 1e-5`, () => {
        const rng = new Rng(c.batch * 100 + d);
        check(tf, c, rng, gaussianPolicy(tf, rng, c.batch, d, stateIndependent));
      });
    });
  });
}
