import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FastAdam } from './adam.js';
import { type FastActivation } from './kernels.js';
import { FastConfigError, FastMlp, type FastLayerInit, type FastLayerSpec } from './mlp.js';
import { kernelKinds } from './test-utils/kinds.js';
import { normRelError, randomArray, uniformStream } from './test-utils/reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** torch's nn.Linear default init, U(-1/sqrt(in), 1/sqrt(in)), from a seeded stream. */
function torchDefault(seed: number): (layer: number, fanIn: number, fanOut: number) => FastLayerInit {
  const next = uniformStream(seed);
  return (_l, fanIn, fanOut) => ({ weight: randomArray(next, fanIn * fanOut, 1 / Math.sqrt(fanIn)), bias: randomArray(next, fanOut, 1 / Math.sqrt(fanIn)) });
}

function tfActivation(x: tf.Tensor2D, a: FastActivation): tf.Tensor2D {
  return a === 'relu' ? tf.relu(x) : a === 'tanh' ? tf.tanh(x) : a === 'selu' ? tf.selu(x) : x;
}

/** The same net on tfjs variables, from the fast net's parameters. */
function tfTwin(net: FastMlp, specs: readonly FastLayerSpec[]): { vars: tf.Variable[]; apply: (x: tf.Tensor2D) => tf.Tensor2D } {
  const widths = [net.inputSize, ...specs.map((s) => s.size)];
  const vars: tf.Variable[] = [];
  net.layers.forEach((l, i) => {
    vars.push(tf.variable(tf.tensor2d(Float32Array.from(l.kernel), [widths[i], widths[i + 1]])));
    vars.push(tf.variable(tf.tensor1d(Float32Array.from(l.bias))));
  });
  const apply = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = x;
    specs.forEach((s, i) => {
      h = tfActivation(tf.add(tf.matMul(h, vars[2 * i]), vars[2 * i + 1]), s.activation);
    });
    return h;
  };
  return { vars, apply };
}

const nets: { name: string; inputSize: number; layers: FastLayerSpec[]; batch: number }[] = [
  { name: '4-64-64-2 tanh', inputSize: 4, layers: [{ size: 64, activation: 'tanh' }, { size: 64, activation: 'tanh' }, { size: 2, activation: 'linear' }], batch: 128 },
  { name: '5-7-3 relu, batch 9', inputSize: 5, layers: [{ size: 7, activation: 'relu' }, { size: 3, activation: 'linear' }], batch: 9 },
  { name: '3-10-5-1 tanh/relu, tanh output, batch 1', inputSize: 3, layers: [{ size: 10, activation: 'tanh' }, { size: 5, activation: 'relu' }, { size: 1, activation: 'tanh' }], batch: 1 },
  { name: '4-256-128-2 selu (dqn_boltzmann_cartpole), batch 64', inputSize: 4, layers: [{ size: 256, activation: 'selu' }, { size: 128, activation: 'selu' }, { size: 2, activation: 'linear' }], batch: 64 },
  { name: '8-6 linear, batch 33', inputSize: 8, layers: [{ size: 6, activation: 'linear' }], batch: 33 },
];

// every test on each kernel kind (wasm; native where built: kernels.test.ts says whether it is)
describe.each(kernelKinds())('%s kernels', (_kind, kernels) => {
  describe('FastMlp: forward and gradients against tfjs autodiff', () => {
    for (const { name, inputSize, layers, batch } of nets) {
      it(`${name}: output, MSE-loss gradients of every weight and bias, and the input gradient within 1e-5 (max error / max value)`, () => {
        const net = new FastMlp(kernels, { inputSize, layers, maxBatch: 130, init: torchDefault(11) });
        const next = uniformStream(3);
        const x = randomArray(next, batch * inputSize, 2);
        const target = randomArray(next, batch * net.outputSize);
        net.input.set(x);
        const y = Float32Array.from(net.forward(batch));
        // MSE over all outputs: dL/dy = 2 (y - t) / (batch * out)
        const n = batch * net.outputSize;
        for (let i = 0; i < n; i++) net.outputGrad[i] = (2 * (y[i] - target[i])) / n;
        net.backward(batch, true);

        const twin = tfTwin(net, layers);
        const xt = tf.tensor2d(x, [batch, inputSize]);
        const tt = tf.tensor2d(target, [batch, net.outputSize]);
        expect(normRelError(y, twin.apply(xt).dataSync())).toBeLessThan(1e-5);
        const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(tt, twin.apply(xt)) as tf.Scalar, twin.vars);
        net.layers.forEach((l, i) => {
          expect(normRelError(l.kernelGrad, grads[twin.vars[2 * i].name].dataSync()), `layer ${i} kernel`).toBeLessThan(1e-5);
          expect(normRelError(l.biasGrad, grads[twin.vars[2 * i + 1].name].dataSync()), `layer ${i} bias`).toBeLessThan(1e-5);
        });
        const gx = tf.grad((xi: tf.Tensor) => tf.losses.meanSquaredError(tt, twin.apply(xi as tf.Tensor2D)) as tf.Scalar)(xt);
        expect(normRelError(net.inputGrad.subarray(0, batch * inputSize), gx.dataSync())).toBeLessThan(1e-5);
      });
    }

    it('backward without weight gradients: the same input gradient, the parameter gradients left as they were', () => {
      const net = new FastMlp(kernels, { inputSize: 5, layers: [{ size: 9, activation: 'relu' }, { size: 7, activation: 'tanh' }, { size: 2, activation: 'linear' }], maxBatch: 6, init: torchDefault(4) });
      const next = uniformStream(5);
      net.input.set(randomArray(next, 6 * 5, 1));
      net.forward(6);
      const dy = randomArray(next, 6 * 2, 1);
      net.outputGrad.set(dy);
      net.backward(6, true);
      const full = Float32Array.from(net.inputGrad.subarray(0, 6 * 5));
      const stale = randomArray(next, net.size, 1);
      net.grads.set(stale);
      net.outputGrad.set(dy); // the pass overwrites it
      net.backward(6, true, false);
      expect(Array.from(net.inputGrad.subarray(0, 6 * 5))).toEqual(Array.from(full));
      expect(Array.from(net.grads)).toEqual(Array.from(stale));
    });

    it('clipGradNorm scales the flat gradients as torch.nn.utils.clip_grad_norm_ and returns the norm before', () => {
      const net = new FastMlp(kernels, { inputSize: 3, layers: [{ size: 5, activation: 'tanh' }, { size: 2, activation: 'linear' }], maxBatch: 4, init: torchDefault(2) });
      net.grads.set(randomArray(uniformStream(8), net.size, 3));
      const g = Array.from(net.grads);
      const norm = Math.sqrt(g.reduce((a, v) => a + v * v, 0));
      expect(net.clipGradNorm(1e6)).toBeCloseTo(norm, 4);
      expect(Array.from(net.grads)).toEqual(g); // under the limit: untouched
      expect(net.clipGradNorm(0.5)).toBeCloseTo(norm, 4);
      const coef = 0.5 / (norm + 1e-6);
      expect(normRelError(net.grads, g.map((v) => v * coef))).toBeLessThan(1e-6);
      expect(net.gradNorm()).toBeCloseTo(0.5, 5);
    });
    it('extraParams: free parameters after the layers, covered by clipGradNorm and the optimizer, untouched by the passes', () => {
      const net = new FastMlp(kernels, { inputSize: 3, layers: [{ size: 4, activation: 'tanh' }, { size: 2, activation: 'linear' }], maxBatch: 2, init: torchDefault(3), extraParams: 2 });
      expect(net.size).toBe(3 * 4 + 4 + 4 * 2 + 2 + 2);
      expect(net.extra.length).toBe(2);
      net.extra.set([0.25, -0.5]);
      expect(Array.from(net.params.subarray(net.size - 2))).toEqual([0.25, -0.5]);
      net.input.set([0.1, 0.2, 0.3, -0.1, -0.2, -0.3]);
      net.forward(2);
      net.outputGrad.set([1, 1, 1, 1]);
      net.extraGrad.set([3, 4]);
      net.backward(2);
      expect(Array.from(net.extraGrad)).toEqual([3, 4]); // backward writes the layers' gradients only
      const layerSq = Array.from(net.grads.subarray(0, net.size - 2)).reduce((a, v) => a + v * v, 0);
      expect(net.gradNorm()).toBeCloseTo(Math.sqrt(layerSq + 25), 4);
      new FastAdam(net, { lr: 0.1 }).step();
      // Adam's first step moves every parameter by lr against the sign of its gradient
      expect(net.extra[0]).toBeCloseTo(0.15, 5);
      expect(net.extra[1]).toBeCloseTo(-0.6, 5);
      expect(() => new FastMlp(kernels, { inputSize: 3, layers: [{ size: 2, activation: 'linear' }], maxBatch: 1, init: torchDefault(3), extraParams: -1 })).toThrow(
        /^extraParams must be an integer >= 0, got -1$/,
      );
    });
  });

  describe('FastAdam', () => {
    it('three Adam steps equal tfjs Adam (same epsilon placement as torch) within 1e-5', () => {
      const layers: FastLayerSpec[] = [{ size: 64, activation: 'tanh' }, { size: 64, activation: 'tanh' }, { size: 2, activation: 'linear' }];
      const net = new FastMlp(kernels, { inputSize: 4, layers, maxBatch: 1, init: torchDefault(5) });
      const twin = tfTwin(net, layers);
      const adam = new FastAdam(net, { lr: 3e-3, betas: [0.9, 0.99], eps: 1e-6 });
      const opt = tf.train.adam(3e-3, 0.9, 0.99, 1e-6);
      const next = uniformStream(4);
      for (let step = 0; step < 3; step++) {
        net.grads.set(randomArray(next, net.size));
        let at = 0;
        const named: { name: string; tensor: tf.Tensor }[] = [];
        for (const v of twin.vars) {
          named.push({ name: v.name, tensor: tf.tensor(net.grads.slice(at, at + v.size), v.shape) });
          at += v.size;
        }
        adam.step();
        opt.applyGradients(named);
      }
      const want = new Float32Array(net.size);
      let at = 0;
      for (const v of twin.vars) {
        want.set(v.dataSync(), at);
        at += v.size;
      }
      expect(adam.stepCount).toBe(3);
      expect(normRelError(net.params, want)).toBeLessThan(1e-5);
    });

    it('Adam with L2 weight decay and AdamW match torch formulas computed in f64 within 1e-5', () => {
      for (const decoupled of [false, true]) {
        const net = new FastMlp(kernels, { inputSize: 3, layers: [{ size: 5, activation: 'relu' }], maxBatch: 1, init: torchDefault(9) });
        const [lr, b1, b2, eps, wd] = [0.01, 0.9, 0.999, 1e-8, 0.1];
        const adam = new FastAdam(net, { lr, eps, weightDecay: wd, decoupled });
        const p = Array.from(net.params);
        const m = p.map(() => 0);
        const v = p.map(() => 0);
        const next = uniformStream(6);
        for (let t = 1; t <= 4; t++) {
          const g0 = randomArray(next, net.size);
          net.grads.set(g0);
          adam.step();
          for (let i = 0; i < p.length; i++) {
            let g = g0[i];
            if (decoupled) p[i] *= 1 - lr * wd;
            else g += wd * p[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            p[i] -= ((lr / (1 - b1 ** t)) * m[i]) / (Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps);
          }
        }
        expect(normRelError(net.params, p), decoupled ? 'AdamW' : 'Adam').toBeLessThan(1e-5);
      }
    });
  });

  describe('FastMlp: determinism and refusals', () => {
    /** 20 Adam steps on a regression; returns the state bytes. */
    function train(seed: number): Uint8Array {
      const net = new FastMlp(kernels, { inputSize: 4, layers: [{ size: 16, activation: 'tanh' }, { size: 2, activation: 'linear' }], maxBatch: 32, init: torchDefault(seed) });
      const adam = new FastAdam(net, { lr: 1e-2 });
      const next = uniformStream(99);
      for (let s = 0; s < 20; s++) {
        net.input.set(randomArray(next, 32 * 4));
        const y = net.forward(32);
        for (let i = 0; i < y.length; i++) net.outputGrad[i] = y[i] - 0.5;
        net.backward(32);
        net.clipGradNorm(0.5);
        adam.step();
      }
      return new Uint8Array(net.state.buffer, net.state.byteOffset, net.state.byteLength).slice();
    }

    it('same seed: identical bytes of parameters, gradients and moments after 20 steps; another seed differs', () => {
      const a = train(1);
      expect(Buffer.from(train(1)).equals(Buffer.from(a))).toBe(true);
      expect(Buffer.from(train(2)).equals(Buffer.from(a))).toBe(false);
    });

    it('refuses bad configurations and batches with one line', () => {
      const base = { inputSize: 2, maxBatch: 4, init: torchDefault(1) };
      expect(() => new FastMlp(kernels, { ...base, layers: [{ size: 3, activation: 'gelu' as FastActivation }] })).toThrow(
        /^layers\[0\]\.activation 'gelu' is not on the fast path; use one of linear, relu, tanh, selu$/,
      );
      expect(() => new FastMlp(kernels, { ...base, layers: [] })).toThrow(FastConfigError);
      expect(() => new FastMlp(kernels, { ...base, layers: [{ size: 0, activation: 'relu' }] })).toThrow(/^layers\[0\]\.size must be a positive integer, got 0$/);
      const net = new FastMlp(kernels, { ...base, layers: [{ size: 3, activation: 'relu' }] });
      expect(() => net.forward(5)).toThrow(/^batch 5 is outside 1\.\.4 \(the net's maxBatch\)$/);
      expect(() => new FastAdam(net, { lr: -1 })).toThrow(/^Adam lr must be a finite number >= 0, got -1$/);
    });
  });
});
