import { beforeAll, describe, expect, it } from 'vitest';
import { FastAdam, initBackend, loadFastKernels, type Tf } from '@gymlab/backends';
import type { OptimSpec } from '@gymlab/spec';
import { makeOptimizer } from '../optim/optimizers.js';
import { Rng } from '@gymlab/random';
import { NotBuiltError } from '../types.js';
import { buildFastMlp } from './fast-mlp.js';
import { Mlp, type MlpConfig } from './mlp.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});
const kernels = loadFastKernels();

const configs: MlpConfig[] = [
  { name: 'pi', inputSize: 4, hidden: [64, 64], activation: 'tanh', outputSize: 2, initFn: null, seed: 7 },
  { name: 'v', inputSize: 5, hidden: [7], activation: 'relu', outputSize: 1, initFn: 'orthogonal_', seed: 3 },
  { name: 'net', inputSize: 4, hidden: [256, 128], activation: 'selu', outputSize: 2, initFn: null, seed: 5 },
  { name: 'q', inputSize: 3, hidden: [9, 6], activation: 'tanh', outputSize: 3, outputActivation: 'tanh', initFn: 'xavier_uniform_', seed: 11, outputGain: 0.01 },
];

describe('buildFastMlp: MLPNet on the fast path', () => {
  for (const cfg of configs) {
    it(`${cfg.inputSize}-${cfg.hidden.join('-')}-${cfg.outputSize} ${cfg.activation} (${cfg.initFn ?? 'default'} init): Mlp's initial weights bit for bit, and its outputs within 1e-5`, () => {
      const mlp = new Mlp(tf, cfg);
      const fast = buildFastMlp(kernels, cfg, 16);
      const w = mlp.namedWeights();
      fast.layers.forEach((l, i) => {
        expect(Buffer.from(l.kernel.buffer, l.kernel.byteOffset, l.kernel.byteLength).equals(Buffer.from(w[`${cfg.name}/l${i}/kernel`].buffer))).toBe(true);
        expect(Array.from(l.bias)).toEqual(Array.from(w[`${cfg.name}/l${i}/bias`]));
      });
      const rng = new Rng(1);
      const x = Float32Array.from({ length: 16 * cfg.inputSize }, () => rng.uniform(-2, 2));
      fast.input.set(x);
      const got = fast.forward(16);
      const want = tf.tidy(() => mlp.forward(tf.tensor2d(x, [16, cfg.inputSize])).dataSync());
      const scale = Math.max(...Array.from(want, Math.abs));
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * scale);
      mlp.dispose();
    });
  }

  it('refuses what the fast path has not built with one NotBuiltError line', () => {
    const base = configs[0];
    expect(() => buildFastMlp(kernels, { ...base, activation: 'elu' }, 4)).toThrow(NotBuiltError);
    expect(() => buildFastMlp(kernels, { ...base, activation: 'elu' }, 4)).toThrow(/^hid_layers_activation 'elu' on the fast CPU path; it has linear, relu, tanh, selu$/);
    expect(() => buildFastMlp(kernels, { ...base, outputActivation: 'sigmoid' }, 4)).toThrow(/^out_layer_activation 'sigmoid' on the fast CPU path/);
    expect(() => buildFastMlp(kernels, { ...base, norm: 'layer_norm' }, 4)).toThrow(/^MLPNet layer_norm on the fast CPU path$/);
  });

  it('FastAdam equals the torch-semantics makeOptimizer (Adam with L2 weight decay, AdamW) over three steps within 1e-5', () => {
    const cfg = configs[0];
    for (const spec of [
      { name: 'Adam', lr: 0.01, weight_decay: 0.1 },
      { name: 'AdamW', lr: 0.01, betas: [0.9, 0.99], eps: 1e-6 },
    ] as OptimSpec[]) {
      const mlp = new Mlp(tf, cfg);
      const fast = buildFastMlp(kernels, cfg, 1);
      const opt = makeOptimizer(tf, spec, mlp.variables);
      const fastOpt = new FastAdam(fast, { lr: spec.lr, betas: spec.betas ?? undefined, eps: spec.eps ?? undefined, weightDecay: spec.weight_decay ?? undefined, decoupled: spec.name === 'AdamW' });
      const rng = new Rng(5);
      for (let t = 0; t < 3; t++) {
        // the flat layout [W0 (in x out), b0, W1, b1, ...] is Mlp's variable order, flattened
        fast.grads.set(Float32Array.from({ length: fast.size }, () => rng.uniform(-1, 1)));
        fastOpt.step();
        tf.tidy(() => opt.applyFlat(tf.tensor1d(fast.grads)));
      }
      const want = Float32Array.from(mlp.variables.flatMap((v) => Array.from(v.dataSync())));
      const scale = Math.max(...Array.from(want, Math.abs));
      const worst = Math.max(...Array.from(want, (w, i) => Math.abs(fast.params[i] - w)));
      expect(worst, spec.name).toBeLessThanOrEqual(1e-5 * scale);
      expect(fastOpt.stepCount).toBe(opt.stepCount);
      opt.dispose();
      mlp.dispose();
    }
  });
});
