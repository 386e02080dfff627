import { beforeAll, describe, expect, it } from 'vitest';
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '@gymlab/backends';
import type { NetSpec } from '@gymlab/spec';
import { AgentConfigError } from '../types.js';
import { thrown } from '../test-utils/thrown.js';
import { planArc } from './arc-spec.js';
import { buildNet } from './factory.js';
import type { NetModule } from './types.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

const seq = (...layers: unknown[]): unknown => ({ modules: { body: { Sequential: layers } }, graph: { input: 'x', modules: { body: ['x'] }, output: 'body' } });
const arcNet = (arc: unknown): NetSpec =>
  ({ type: 'TorchArcNet', arc, hid_layers: [], hid_layers_activation: 'relu', out_layer_activation: null, init_fn: null, normalize: false }) as unknown as NetSpec;
const forward = (net: NetModule, x: number[][], training = false): number[][] => tf.tidy(() => net.forward(tf.tensor2d(x), training).arraySync() as number[][]);
const eps = 0.001;
const brn = (kw: Record<string, unknown>): NetModule => buildNet(tf, arcNet(seq({ LazyBatchRenorm1d: { eps, ...kw } })), [3], { name: 'brn', seed: 1 });
const state = (net: NetModule, k: string): number[] => Array.from(net.getState()[`brn/body/0/${k}`].data);
const close = (got: readonly number[], want: readonly number[], digits = 5): void => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i], `[${i}]`).toBeCloseTo(w, digits));
};

// x1: means [3, 4, 1], biased variances [8/3, 8/3, 2]
const x1 = [[1, 2, 0], [3, 6, 0], [5, 4, 3]];
// x2: means [30, -40, 0.3], biased variances [800/3, 800/3, 0.06]
const x2 = [[10, -20, 0], [30, -60, 0.3], [50, -40, 0.6]];

describe('BatchRenorm1d (SLM Lab 5.3 batch_renorm.py) by hand', () => {
  it('parses SLM Lab kwargs with its defaults, counts weight and bias, and refuses bad values naming the key', () => {
    const plan = planArc(seq({ LazyLinear: { out_features: 4 } }, { LazyBatchRenorm1d: { momentum: 0.01, eps: 0.001, warmup_steps: 5000 } }), [3]);
    expect(plan.modules[0].layers[1]).toEqual({ kind: 'batch_renorm', size: 4, eps: 0.001, momentum: 0.01, rMax: 3, dMax: 5, warmupSteps: 5000 });
    expect(planArc(seq({ BatchRenorm1d: { num_features: 3 } }), [3]).modules[0].layers[0]).toEqual({ kind: 'batch_renorm', size: 3, eps: 1e-5, momentum: 0.01, rMax: 3, dMax: 5, warmupSteps: 10000 });
    expect(plan.parameters).toBe(3 * 4 + 4 + 2 * 4);
    const bad = (kw: Record<string, unknown>): string => (thrown(() => planArc(seq({ LazyBatchRenorm1d: kw }), [3])) as Error).message;
    expect(thrown(() => planArc(seq({ LazyBatchRenorm1d: { r_max: 0.5 } }), [3]))).toBeInstanceOf(AgentConfigError);
    expect(bad({ r_max: 0.5 })).toBe('agent.net.arc.modules.body.Sequential[0].LazyBatchRenorm1d.r_max: must be >= 1, got 0.5');
    expect(bad({ warmup_steps: 1.5 })).toMatch(/LazyBatchRenorm1d\.warmup_steps: expected an integer >= 0/);
    expect(bad({ momentum: 2 })).toMatch(/LazyBatchRenorm1d\.momentum: must be in \(0, 1\]/);
    expect(bad({ affine: true })).toMatch(/LazyBatchRenorm1d\.affine: unknown argument; allowed: eps, momentum, r_max, d_max, warmup_steps$/);
    expect(bad({ d_max: -1 })).toMatch(/d_max: expected a number >= 0/);
    expect((thrown(() => planArc(seq({ BatchRenorm1d: { num_features: 4 } }), [3])) as Error).message).toMatch(/BatchRenorm1d\.num_features: must be the input's 3 features, got 4/);
  });

  it("warm-up start (step 0): r = 1, d = 0, plain batch norm with the biased variance; running statistics move by momentum; eval uses them", () => {
    const net = brn({ momentum: 0.1, warmup_steps: 100 });
    const s = 1 / Math.sqrt(8 / 3 + eps);
    const s3 = 1 / Math.sqrt(2 + eps);
    const y = forward(net, x1, true);
    close(y[0], [-2 * s, -2 * s, -1 * s3]);
    close(y[1], [0, 2 * s, -1 * s3]);
    close(y[2], [2 * s, 0, 2 * s3]);
    close(state(net, 'running_mean'), [0.3, 0.4, 0.1], 6);
    close(state(net, 'running_var'), [1 + 0.1 * (8 / 3 - 1), 1 + 0.1 * (8 / 3 - 1), 1 + 0.1 * (2 - 1)], 6); // biased, unlike BatchNorm1d's
    expect(state(net, 'step')).toEqual([1]);
    expect(net.variableNames()).toEqual(['brn/body/0/weight', 'brn/body/0/bias']);
    // evaluation: the running statistics, no update
    const v = 1 + 0.1 * (8 / 3 - 1);
    close(forward(net, [[1, 2, 3]])[0], [(1 - 0.3) / Math.sqrt(v + eps), (2 - 0.4) / Math.sqrt(v + eps), (3 - 0.1) / Math.sqrt(1.1 + eps)]);
    expect(state(net, 'step')).toEqual([1]);
    close(state(net, 'running_mean'), [0.3, 0.4, 0.1], 6);
    net.dispose();
  });

  it('half-way through the warm-up r is clipped to [1/2, 2] and d to [-2.5, 2.5]; after it to [1/3, 3] and [-5, 5]', () => {
    const net = brn({ momentum: 0.5, warmup_steps: 2 });
    forward(net, x1, true);
    // after step 1: running mean [1.5, 2, 0.5], running var [11/6, 11/6, 3/2]
    close(state(net, 'running_mean'), [1.5, 2, 0.5], 6);
    close(state(net, 'running_var'), [11 / 6, 11 / 6, 1.5], 6);
    // step 1 of 2: t = 1/2, r_max = 2, d_max = 2.5
    const sb = Math.sqrt(800 / 3 + eps);
    const sb3 = Math.sqrt(0.06 + eps);
    // column 1: r = sb / sqrt(11/6) ~ 12.1 -> 2; d = (30 - 1.5) / 1.354 ~ 21 -> 2.5
    // column 2: r -> 2; d = (-40 - 2) / 1.354 ~ -31 -> -2.5
    // column 3: r = sb3 / sqrt(1.5) ~ 0.2 -> 0.5; d = (0.3 - 0.5) / sqrt(1.5) (inside the clip)
    const d3 = (0.3 - 0.5) / Math.sqrt(1.5 + eps);
    const y = forward(net, x2, true);
    close(y[0], [(-20 / sb) * 2 + 2.5, (20 / sb) * 2 - 2.5, (-0.3 / sb3) * 0.5 + d3], 4);
    close(y[1], [0 + 2.5, (-20 / sb) * 2 - 2.5, 0 + d3], 4);
    close(y[2], [(20 / sb) * 2 + 2.5, 0 - 2.5, (0.3 / sb3) * 0.5 + d3], 4);
    // after step 2: running mean [15.75, -19, 0.4], running var [(11/6 + 800/3) / 2, .., (1.5 + 0.06) / 2]
    const rm = [15.75, -19, 0.4];
    const rv = [(11 / 6 + 800 / 3) / 2, (11 / 6 + 800 / 3) / 2, 0.78];
    close(state(net, 'running_mean'), rm, 4);
    close(state(net, 'running_var'), rv, 3);
    expect(state(net, 'step')).toEqual([2]);
    // step 2 >= warm-up: r_max = 3, d_max = 5. x3 = 10 * x1: means [30, 40, 10], biased variances [800/3, 800/3, 200]
    const x3 = x1.map((row) => row.map((v) => 10 * v));
    const r = [sb / Math.sqrt(rv[0] + eps), sb / Math.sqrt(rv[1] + eps), 3]; // columns 1, 2 inside [1/3, 3]; column 3: 14.1 / 0.88 -> 3
    const d = [(30 - rm[0]) / Math.sqrt(rv[0] + eps), 5, 5]; // (40 + 19) / 11.6 ~ 5.1 -> 5; (10 - 0.4) / 0.88 -> 5
    const s3 = Math.sqrt(200 + eps);
    const y3 = forward(net, x3, true);
    close(y3[0], [(-20 / sb) * r[0] + d[0], (-20 / sb) * r[1] + d[1], (-10 / s3) * r[2] + d[2]], 4);
    close(y3[2], [(20 / sb) * r[0] + d[0], 0 + d[1], (20 / s3) * r[2] + d[2]], 4);
    net.dispose();
  });

  it('no gradient flows through r and d: the input gradient is the batch-norm one scaled by r', () => {
    const net = brn({ momentum: 0.5, warmup_steps: 2 });
    forward(net, x1, true); // step 1: running mean [1.5, 2, 0.5], var [11/6, 11/6, 3/2]; r, d inside their clips for x1 again
    const c = [[1, 0, 0], [2, 0, 0], [4, 0, 0]];
    const g = tf.tidy(() => {
      const x = tf.tensor2d(x1);
      return tf.grad((xi: Tensor) => tf.sum(tf.mul(net.forward(xi, true), tf.tensor2d(c))) as Scalar)(x).arraySync() as number[][];
    });
    // column 1 of x1: [1, 3, 5], mean 3, sigma_B = sqrt(8/3 + eps), xhat = [-2, 0, 2] / sigma_B, c = [1, 2, 4]
    const sb = Math.sqrt(8 / 3 + eps);
    const r = sb / Math.sqrt(11 / 6 + eps);
    const xhat = [-2 / sb, 0, 2 / sb];
    const cMean = 7 / 3;
    const cx = (1 * xhat[0] + 4 * xhat[2]) / 3;
    const want = [0, 1, 2].map((j) => (r / sb) * (c[j][0] - cMean - xhat[j] * cx));
    close(g.map((row) => row[0]), want, 4);
    close(g.map((row) => row[1]), [0, 0, 0], 6);
    net.dispose();
  });

  it('its running statistics and step are state: saved, restored, and a restored net continues identically', () => {
    const a = brn({ warmup_steps: 3 });
    forward(a, x1, true);
    forward(a, x2, true);
    const saved = a.getState();
    expect(Object.keys(saved).sort()).toEqual(['brn/body/0/bias', 'brn/body/0/running_mean', 'brn/body/0/running_var', 'brn/body/0/step', 'brn/body/0/weight']);
    expect(Array.from(saved['brn/body/0/step'].data)).toEqual([2]);
    const b = brn({ warmup_steps: 3 });
    b.setState(saved);
    expect(forward(b, x1, true)).toEqual(forward(a, x1, true));
    expect(forward(b, x2)).toEqual(forward(a, x2));
    expect(b.getState()).toEqual(a.getState());
    a.dispose();
    b.dispose();
  });
});
