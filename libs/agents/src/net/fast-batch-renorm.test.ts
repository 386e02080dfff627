import { beforeAll, describe, expect, it } from 'vitest';
import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { initBackend, loadFastKernels, loadNativeKernels, nativeKernelsAvailable, type FastKernels, type Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import { applyActivation } from './activation.js';
import { batchRenorm1d, type BatchRenormParams } from './batch-renorm.js';
import { FastBatchRenorm, type BrnActivation } from './fast-batch-renorm.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

/** max |got - want| <= 1e-5 max |want|. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
  }
  expect(diff, `${what}: max diff ${diff}, scale ${scale}`).toBeLessThanOrEqual(1e-5 * scale);
}

const N = 64;
const D = 12;
const P: BatchRenormParams = { eps: 0.001, momentum: 0.1, rMax: 1.5, dMax: 0.5, warmupSteps: 4 };

interface Case {
  readonly step: number;
  readonly training: boolean;
  readonly activation: BrnActivation;
}

/**
 * One forward and backward of loss = sum(c * act(BRN(x))) on both: random x whose columns have
 * spread scales and offsets (so r and d clip in some columns and not in others), random weight,
 * bias, running statistics and upstream c. Returns what differs in a few words, for the message.
 */
function compare({ step, training, activation }: Case, kernels: FastKernels): { clippedR: number; clippedD: number } {
  const rng = new Rng(step * 7 + (training ? 1 : 0));
  const u = (n: number, lo: number, hi: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
  const colScale = u(D, 0.2, 3);
  const colShift = u(D, -1.5, 1.5);
  const x = Float32Array.from({ length: N * D }, (_, k) => rng.normal() * colScale[k % D] + colShift[k % D]);
  const affine = new Float32Array([...u(D, 0.5, 1.5), ...u(D, -0.5, 0.5)]);
  const rm = u(D, -0.5, 0.5);
  const rv = u(D, 0.5, 2);
  const c = u(N * D, -1, 1);

  // tfjs autodiff on the tfjs layer
  const layer = batchRenorm1d(tf, D, P);
  const [w, b] = layer.trainable.map((t) => t.v);
  w.assign(tf.tensor1d(affine.subarray(0, D)));
  b.assign(tf.tensor1d(affine.subarray(D)));
  const [bm, bv, bs] = layer.buffers.map((t) => t.v);
  bm.assign(tf.tensor1d(rm));
  bv.assign(tf.tensor1d(rv));
  bs.assign(tf.tensor1d([step]));
  const want = tf.tidy(() => {
    const xt = tf.tensor2d(x, [N, D]);
    const ct = tf.tensor2d(c, [N, D]);
    let y: Tensor2D | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const pre = layer.apply(xt, training);
      const out = activation === 'linear' ? pre : applyActivation(tf, pre, activation);
      y = tf.keep(out);
      return tf.sum(tf.mul(out, ct)) as Scalar;
    }, [w, b]);
    value.dispose();
    // dL/dx on a fresh layer state would move the statistics twice: restore them, then differentiate in x
    const stats = [bm, bv, bs].map((v) => tf.keep(v.clone()));
    bm.assign(tf.tensor1d(rm));
    bv.assign(tf.tensor1d(rv));
    bs.assign(tf.tensor1d([step]));
    const dx = tf.grad((xi: Tensor) => {
      const pre = layer.apply(xi as Tensor2D, training);
      return tf.sum(tf.mul(activation === 'linear' ? pre : applyActivation(tf, pre, activation), ct)) as Scalar;
    })(xt);
    return { y: (y as unknown as Tensor2D).dataSync(), dx: dx.dataSync(), dw: grads[w.name].dataSync(), db: grads[b.name].dataSync(), stats: stats.map((s) => s.dataSync()) };
  });

  const fast = new FastBatchRenorm(kernels, D, P, activation, N);
  fast.runningMean.set(rm);
  fast.runningVar.set(rv);
  fast.step = step;
  const out = new Float32Array(N * D);
  fast.forward(x, N, training, affine, out);
  const affineGrad = new Float32Array(2 * D);
  const dx = new Float32Array(N * D);
  fast.backward(c, N, affine, affineGrad, dx);

  const tag = `step ${step}, ${training ? 'training' : 'evaluation'}, ${activation}`;
  expectClose(out, want.y, `${tag}: y`);
  expectClose(dx, want.dx, `${tag}: dL/dx`);
  expectClose(affineGrad.subarray(0, D), want.dw, `${tag}: dL/dweight`);
  expectClose(affineGrad.subarray(D), want.db, `${tag}: dL/dbias`);
  expectClose(fast.runningMean, want.stats[0], `${tag}: running_mean`);
  expectClose(fast.runningVar, want.stats[1], `${tag}: running_var`);
  expect(fast.step, tag).toBe(want.stats[2][0]);
  tf.dispose([w, b, bm, bv, bs]);

  // how many columns the ramp clipped (r: sigma_B / sigma outside [1 / r_max, r_max]; d: |mu - rm| / sigma > d_max)
  const t = Math.min(step / P.warmupSteps, 1);
  const rMax = 1 + t * (P.rMax - 1);
  const dMax = t * P.dMax;
  let clippedR = 0;
  let clippedD = 0;
  for (let j = 0; j < D; j++) {
    let mu = 0;
    let sq = 0;
    for (let i = 0; i < N; i++) mu += x[i * D + j] / N;
    for (let i = 0; i < N; i++) sq += (x[i * D + j] - mu) ** 2 / N;
    const sigma = Math.sqrt(rv[j] + P.eps);
    const r = Math.sqrt(sq + P.eps) / sigma;
    if (r > rMax || r < 1 / rMax) clippedR++;
    if (Math.abs((mu - rm[j]) / sigma) > dMax) clippedD++;
  }
  return { clippedR, clippedD };
}

// on each kernel kind: wasm, and native where it is built (@gymlab/backends' kernels.test.ts fails where it should be and is not)
const KINDS: [string, () => FastKernels][] = [['wasm', loadFastKernels], ...(nativeKernelsAvailable() ? [['native', loadNativeKernels] as [string, () => FastKernels]] : [])];

describe.each(KINDS)('FastBatchRenorm (%s kernels): forward, backward and running statistics equal the tfjs layer with autodiff, within 1e-5', (_kind, kernels) => {
  it.each<Case>([
    { step: 0, training: true, activation: 'linear' },
    { step: 2, training: true, activation: 'relu' },
    { step: 9, training: true, activation: 'tanh' },
    { step: 9, training: false, activation: 'relu' },
  ])('step $step (warm-up 4), training $training, then $activation', (cs) => {
    const { clippedR, clippedD } = compare(cs, kernels());
    if (cs.training && cs.step > 0) {
      // r and d clip in some columns and not in others, so both branches of each clip are compared
      expect(clippedR).toBeGreaterThan(0);
      expect(clippedR).toBeLessThan(D);
      expect(clippedD).toBeGreaterThan(0);
      expect(clippedD).toBeLessThan(D);
    }
  });
});
