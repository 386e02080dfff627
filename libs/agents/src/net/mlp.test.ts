import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import { Mlp } from './mlp.js';
import { calculateGain, initLinear, orthogonal } from './init.js';
import { applyActivation } from './activation.js';
import type { Tensor } from '@tensorflow/tfjs';

const { tf } = await initBackend({ gpu: false, backend: 'cpu' });

/** `x W + b` by hand for the layer `layer` of `w` (kernel in x out, row-major) with `out` units. */
const dense = (w: Record<string, Float32Array>, layer: string, x: readonly number[], out: number): number[] =>
  Array.from({ length: out }, (_, o) => x.reduce((s, xi, i) => s + xi * w[`${layer}/kernel`][i * out + o], 0) + w[`${layer}/bias`][o]);

/** The net's output for the one row `x` equals `y` (to 5 decimals). */
function expectForward(net: Mlp, x: readonly number[], y: readonly number[]): void {
  const out = Array.from(tf.tidy(() => net.forward(tf.tensor2d([[...x]])).dataSync()));
  expect(out).toHaveLength(y.length);
  out.forEach((v, i) => expect(v).toBeCloseTo(y[i], 5));
}

describe('init', () => {
  it('orthogonal_ gives gain * orthonormal rows (wide) or columns (tall)', () => {
    for (const [r, c] of [[3, 5], [5, 3], [4, 4]] as const) {
      const w = orthogonal(r, c, 2, new Rng(1));
      const k = Math.min(r, c);
      // Gram matrix of the short side: W W^T (r<=c) or W^T W (r>c) = gain^2 I
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          let dot = 0;
          for (let t = 0; t < Math.max(r, c); t++) dot += r <= c ? w[i * c + t] * w[j * c + t] : w[t * c + i] * w[t * c + j];
          expect(dot).toBeCloseTo(i === j ? 4 : 0, 9);
        }
      }
    }
  });
  it('default init is torch nn.Linear: |w|,|b| <= 1/sqrt(fan_in), not all zero', () => {
    const { weight, bias } = initLinear(16, 8, null, 1, new Rng(3));
    for (const x of [...weight, ...bias]) expect(Math.abs(x)).toBeLessThanOrEqual(0.25);
    expect(weight.some((x) => Math.abs(x) > 0.1)).toBe(true);
    expect(bias.some((x) => x !== 0)).toBe(true);
  });
  it('named inits zero the bias; gains follow torch calculate_gain', () => {
    expect(initLinear(4, 4, 'xavier_uniform_', 1, new Rng(1)).bias.every((x) => x === 0)).toBe(true);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(calculateGain('selu')).toBe(0.75);
  });
});

describe('Mlp', () => {
  it('forward equals the hand-written layers (tanh hidden, linear out)', () => {
    const net = new Mlp(tf, { inputSize: 3, hidden: [4], activation: 'tanh', outputSize: 2, initFn: 'orthogonal_', seed: 7, name: 'pi' });
    const w = net.namedWeights();
    expect(Object.keys(w)).toEqual(['pi/l0/kernel', 'pi/l0/bias', 'pi/l1/kernel', 'pi/l1/bias']);
    const x = [0.5, -1, 2];
    const h = dense(w, 'pi/l0', x, 4).map(Math.tanh);
    expectForward(net, x, dense(w, 'pi/l1', h, 2));
    net.dispose();
  });
  it('same seed -> same weights; different seed -> different', () => {
    const cfg = { inputSize: 4, hidden: [8, 8], activation: 'relu', outputSize: 2, initFn: null, name: 'q' } as const;
    const a = new Mlp(tf, { ...cfg, seed: 1 });
    const b = new Mlp(tf, { ...cfg, seed: 1 });
    const c = new Mlp(tf, { ...cfg, seed: 2 });
    expect(a.namedWeights()).toEqual(b.namedWeights());
    expect(a.namedWeights()['q/l0/kernel']).not.toEqual(c.namedWeights()['q/l0/kernel']);
    [a, b, c].forEach((n) => n.dispose());
  });
  it('copyFrom, polyakFrom, getState/setState', () => {
    const cfg = { inputSize: 2, hidden: [3], activation: 'selu', outputSize: 1, initFn: 'xavier_normal_', name: 'n' } as const;
    const a = new Mlp(tf, { ...cfg, seed: 1 });
    const b = new Mlp(tf, { ...cfg, seed: 2 });
    const wa = a.namedWeights()['n/l0/kernel'];
    const wb = b.namedWeights()['n/l0/kernel'];
    b.polyakFrom(a, 0.25);
    const mixed = b.namedWeights()['n/l0/kernel'];
    mixed.forEach((v, i) => expect(v).toBeCloseTo(0.25 * wa[i] + 0.75 * wb[i], 6));
    b.copyFrom(a);
    expect(b.namedWeights()).toEqual(a.namedWeights());
    const c = new Mlp(tf, { ...cfg, seed: 3 });
    c.setState(a.getState());
    expect(c.namedWeights()).toEqual(a.namedWeights());
    expect(() => c.setState({})).toThrow(/no tensor 'n\/l0\/kernel'/);
    [a, b, c].forEach((n) => n.dispose());
  });
  it('the hand-written dense gradient equals autodiff of the plain ops, for every activation', () => {
    for (const act of ['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'leakyrelu', 'selu', 'gelu', 'silu', 'softplus'] as const) {
      const net = new Mlp(tf, { inputSize: 3, hidden: [5], activation: act, outputSize: 2, outputActivation: act === 'relu' ? 'tanh' : null, initFn: null, seed: 4, name: 'g' });
      const x = tf.tensor2d([[0.3, -1.2, 0.8], [-0.5, 0.1, 2.0], [1.5, 0.7, -0.3]]);
      const [k0, b0, k1, b1] = net.variables;
      const plain = (): Tensor => {
        let h = tf.add(tf.matMul(x, k0), b0);
        h = applyActivation(tf, h as never, act);
        let y = tf.add(tf.matMul(h, k1), b1);
        if (act === 'relu') y = tf.tanh(y);
        return tf.sum(tf.mul(y, tf.tensor2d([[1, -2], [0.5, 3], [-1, 1]])));
      };
      const custom = (): Tensor => tf.sum(tf.mul(net.forward(x), tf.tensor2d([[1, -2], [0.5, 3], [-1, 1]])));
      const gp = tf.variableGrads(plain as never, net.variables as never);
      const gc = tf.variableGrads(custom as never, net.variables as never);
      expect(gc.value.dataSync()[0]).toBeCloseTo(gp.value.dataSync()[0], 4);
      for (const v of net.variables) {
        const a = gp.grads[v.name].dataSync();
        const c = gc.grads[v.name].dataSync();
        a.forEach((ai, i) => expect(c[i]).toBeCloseTo(ai, 4));
      }
      net.dispose();
    }
  });
  it('dispose frees every variable', () => {
    const before = tf.memory().numTensors;
    const n = new Mlp(tf, { inputSize: 2, hidden: [3], activation: 'relu', outputSize: 1, initFn: null, seed: 1, name: 'd' });
    n.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Mlp layer_norm / batch_norm (SLM Lab 5.3 MLPNet: after each hidden Linear, before its activation)', () => {
  it('layer_norm: tanh(LayerNorm(x W0 + b0)) W1 + b1 by hand; the output layer has no norm', () => {
    const net = new Mlp(tf, { inputSize: 2, hidden: [3], activation: 'tanh', outputSize: 2, initFn: null, seed: 3, name: 'm', norm: 'layer_norm' });
    expect(net.variableNames()).toEqual(['m/l0/kernel', 'm/l0/bias', 'm/l0/norm/weight', 'm/l0/norm/bias', 'm/l1/kernel', 'm/l1/bias']);
    const w = net.namedWeights();
    const x = [0.4, -2];
    const z = dense(w, 'm/l0', x, 3);
    const mean = (z[0] + z[1] + z[2]) / 3;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / 3;
    const h = z.map((v) => Math.tanh((v - mean) / Math.sqrt(variance + 1e-5)));
    expectForward(net, x, dense(w, 'm/l1', h, 2));
    net.dispose();
  });
  it('same seed and no norm: the same initial weights as before the norm option (norm draws nothing)', () => {
    const cfg = { inputSize: 3, hidden: [4, 4], activation: 'relu', outputSize: 2, initFn: 'orthogonal_', seed: 8, name: 'q' } as const;
    const plain = new Mlp(tf, cfg);
    const normed = new Mlp(tf, { ...cfg, norm: 'layer_norm' });
    const pw = plain.namedWeights();
    const nw = normed.namedWeights();
    for (const k of Object.keys(pw)) expect(nw[k]).toEqual(pw[k]);
    plain.dispose();
    normed.dispose();
  });
  it('batch_norm: running statistics are state (saved, copied), training uses batch statistics', () => {
    const net = new Mlp(tf, { inputSize: 2, hidden: [3], activation: 'relu', outputSize: 1, initFn: null, seed: 1, name: 'b', norm: 'batch_norm' });
    expect(Object.keys(net.getState())).toEqual(['b/l0/kernel', 'b/l0/bias', 'b/l0/norm/weight', 'b/l0/norm/bias', 'b/l0/norm/running_mean', 'b/l0/norm/running_var', 'b/l1/kernel', 'b/l1/bias']);
    const x = [[1, 2], [-1, 0.5], [0.3, -2]];
    const evalBefore = tf.tidy(() => net.forward(tf.tensor2d(x)).arraySync());
    tf.tidy(() => net.forward(tf.tensor2d(x), true));
    expect(Array.from(net.getState()['b/l0/norm/running_mean'].data).some((v) => v !== 0)).toBe(true);
    expect(tf.tidy(() => net.forward(tf.tensor2d(x)).arraySync())).not.toEqual(evalBefore);
    const copy = new Mlp(tf, { inputSize: 2, hidden: [3], activation: 'relu', outputSize: 1, initFn: null, seed: 2, name: 't', norm: 'batch_norm' });
    copy.copyFrom(net);
    expect(tf.tidy(() => copy.forward(tf.tensor2d(x)).arraySync())).toEqual(tf.tidy(() => net.forward(tf.tensor2d(x)).arraySync()));
    net.dispose();
    copy.dispose();
  });
});
