import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import {
  categoricalEntropy,
  categoricalLogProb,
  clipToBox,
  gaussianEntropy,
  gaussianEntropyRows,
  gaussianLogProb,
  oneHot,
  sampleCategorical,
  sampleGaussian,
  sampleGaussianHead,
} from './distributions.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'wasm' })).tf;
});

describe('categorical', () => {
  it('log-prob and entropy match closed forms', () => {
    // logits [0, ln 3] -> p = [0.25, 0.75]
    const logits = tf.tensor2d([[0, Math.log(3)], [0, 0]]);
    const lp = categoricalLogProb(tf, logits, tf.tensor2d(oneHot([1, 0], 2), [2, 2])).dataSync();
    expect(lp[0]).toBeCloseTo(Math.log(0.75), 5);
    expect(lp[1]).toBeCloseTo(Math.log(0.5), 5);
    const h = categoricalEntropy(tf, logits).dataSync();
    expect(h[0]).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 5);
    expect(h[1]).toBeCloseTo(Math.log(2), 5);
  });
  it('has a gradient on wasm (no gather): d logp / d logits = onehot - p', () => {
    const logits = tf.tensor2d([[0, Math.log(3)]]);
    const g = tf.grad((x) => tf.sum(categoricalLogProb(tf, x as never, tf.tensor2d([[1, 0]]))))(logits).dataSync();
    expect(g[0]).toBeCloseTo(0.75, 5);
    expect(g[1]).toBeCloseTo(-0.75, 5);
  });
  it('samples in proportion to the probabilities; mode is the argmax', () => {
    const logits = Float32Array.from([0, Math.log(3)]);
    const rng = new Rng(1);
    const out = new Int32Array(1);
    let ones = 0;
    for (let i = 0; i < 20000; i++) ones += sampleCategorical(logits, 2, rng, false, out)[0];
    expect(ones / 20000).toBeGreaterThan(0.73);
    expect(ones / 20000).toBeLessThan(0.77);
    expect(sampleCategorical(Float32Array.from([3, 1, 5, 5]), 4, rng, true, new Int32Array(1))[0]).toBe(2);
  });
});

describe('diagonal gaussian', () => {
  it('log-prob and entropy match closed forms', () => {
    // d = 2: mu = [0, 1], sigma = [1, 2], a = [1, 1]
    // logp = (-0.5 - 0 - 0.5 ln 2pi) + (0 - ln 2 - 0.5 ln 2pi)
    const lp = gaussianLogProb(tf, tf.tensor2d([[0, 1]]), tf.tensor1d([0, Math.log(2)]), tf.tensor2d([[1, 1]])).dataSync();
    expect(lp[0]).toBeCloseTo(-0.5 - Math.log(2) - Math.log(2 * Math.PI), 5);
    const h = gaussianEntropy(tf, tf.tensor1d([0, Math.log(2)])).dataSync();
    expect(h[0]).toBeCloseTo(1 + Math.log(2 * Math.PI) + Math.log(2), 5);
  });
  it('samples have the right moments; mode is the mean; clipping respects the box', () => {
    const rng = new Rng(2);
    const out = new Float32Array(20000);
    sampleGaussian(new Float32Array(20000).fill(1), Float64Array.of(2), rng, false, out);
    const mean = out.reduce((s, x) => s + x, 0) / out.length;
    const v = out.reduce((s, x) => s + (x - mean) ** 2, 0) / out.length;
    expect(mean).toBeCloseTo(1, 1);
    expect(Math.sqrt(v)).toBeCloseTo(2, 1);
    expect(Array.from(sampleGaussian(Float32Array.of(0.5), Float64Array.of(1), rng, true, new Float32Array(1)))).toEqual([0.5]);
    const c = clipToBox(Float32Array.of(-3, 0.5, 3, 9), Float32Array.of(-2, 0), Float32Array.of(2, 1), new Float32Array(4));
    expect(Array.from(c)).toEqual([-2, 0.5, 2, 1]);
  });
  it('state-dependent log-std [B, d]: per-row log-prob and entropy match closed forms', () => {
    // row 0: mu = 0, sigma = 1, a = 1 -> -0.5 - 0.5 ln 2pi; row 1: mu = 1, sigma = 2, a = 1 -> -ln 2 - 0.5 ln 2pi
    const lp = gaussianLogProb(tf, tf.tensor2d([[0], [1]]), tf.tensor2d([[0], [Math.log(2)]]), tf.tensor2d([[1], [1]])).dataSync();
    expect(lp[0]).toBeCloseTo(-0.5 - 0.5 * Math.log(2 * Math.PI), 5);
    expect(lp[1]).toBeCloseTo(-Math.log(2) - 0.5 * Math.log(2 * Math.PI), 5);
    const h = gaussianEntropyRows(tf, tf.tensor2d([[0], [Math.log(2)]])).dataSync();
    expect(h[0]).toBeCloseTo(0.5 + 0.5 * Math.log(2 * Math.PI), 5);
    expect(h[1]).toBeCloseTo(0.5 + 0.5 * Math.log(2 * Math.PI) + Math.log(2), 5);
  });
  it('a [means, log-scales] head samples with each row\'s own scale, clamped to [-20, 2]; mode is the mean', () => {
    const rng = new Rng(5);
    const rows = 20000;
    const params = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      params[2 * r] = r % 2 === 0 ? 1 : -1; // mean
      params[2 * r + 1] = r % 2 === 0 ? Math.log(0.5) : 10; // log-scale; 10 clamps to 2
    }
    const out = sampleGaussianHead(params, 1, rng, false, new Float32Array(rows));
    const moments = (parity: number): [number, number] => {
      const xs = Array.from(out).filter((_, i) => i % 2 === parity);
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      return [m, Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length)];
    };
    const [m0, s0] = moments(0);
    const [m1, s1] = moments(1);
    expect(m0).toBeCloseTo(1, 1);
    expect(s0).toBeCloseTo(0.5, 1);
    expect(m1).toBeCloseTo(-1, 0);
    expect(s1 / Math.exp(2)).toBeCloseTo(1, 1);
    expect(Array.from(sampleGaussianHead(Float32Array.of(0.25, 3), 1, rng, true, new Float32Array(1)))).toEqual([0.25]);
  });
});
