import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '@gymlab/backends';
import { loadSpec, type NetSpec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { AgentConfigError, NotBuiltError } from '../types.js';
import { thrown } from '../test-utils/thrown.js';
import { planArc, SUPPORTED_ARC_MODULES } from './arc-spec.js';
import { buildNet } from './factory.js';
import type { NetModule } from './types.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

const seq = (...layers: unknown[]): unknown => ({ modules: { body: { Sequential: layers } }, graph: { input: 'x', modules: { body: ['x'] }, output: 'body' } });
const arcNet = (arc: unknown, o: Partial<Record<string, unknown>> = {}): NetSpec =>
  ({ type: 'TorchArcNet', arc, hid_layers: [], hid_layers_activation: 'relu', out_layer_activation: null, init_fn: null, normalize: false, ...o }) as unknown as NetSpec;
const forward = (net: NetModule, x: number[][], training = false): number[][] =>
  tf.tidy(() => net.forward(tf.tensor2d(x), training).arraySync() as number[][]);

describe('planArc (the arc as data, no tensors)', () => {
  it('infers lazy sizes, the output width and the parameter count', () => {
    const plan = planArc(seq({ LazyLinear: { out_features: 8 } }, { Tanh: null }, { Linear: { in_features: 8, out_features: 3 } }, { LayerNorm: { normalized_shape: 3 } }), [5]);
    expect(plan.outputSize).toBe(3);
    expect(plan.parameters).toBe(5 * 8 + 8 + 8 * 3 + 3 + 2 * 3);
    expect(plan.modules[0].layers.map((l) => l.kind)).toEqual(['linear', 'activation', 'linear', 'layer_norm']);
  });
  it('expands torcharc compact specs as Sequential', () => {
    const compact = { modules: { mlp: { compact: { layer: { type: 'LazyLinear', keys: ['out_features'], args: [16, 4] }, postlayer: [{ ReLU: null }] } } }, graph: { input: 'x', modules: { mlp: ['x'] }, output: 'mlp' } };
    const plain = { modules: { mlp: { Sequential: [{ LazyLinear: { out_features: 16 } }, { ReLU: {} }, { LazyLinear: { out_features: 4 } }, { ReLU: {} }] } }, graph: { input: 'x', modules: { mlp: ['x'] }, output: 'mlp' } };
    expect(planArc(compact, [3])).toEqual(planArc(plain, [3]));
  });
  it('chains graph nodes and reuses a module with `name~tag`', () => {
    const arc = {
      modules: { a: { LazyLinear: { out_features: 4 } }, b: { Sequential: [{ LazyLinear: { out_features: 4 } }, { ReLU: null }] } },
      graph: { input: 'x', modules: { a: ['x'], b: ['a'], 'b~again': ['b'] }, output: 'b~again' },
    };
    const plan = planArc(arc, [4]);
    expect(plan.calls.map((c) => `${c.node}<-${c.input}`)).toEqual(['a<-x', 'b<-a', 'b~again<-b']);
    expect(plan.parameters).toBe(2 * (4 * 4 + 4));
  });
  it('refuses an unknown module in one line naming the supported ones', () => {
    const e = thrown(() => planArc(seq({ LazyLinear: { out_features: 4 } }, { Swish: null }), [4]));
    expect(e).toBeInstanceOf(AgentConfigError);
    expect(e).not.toBeInstanceOf(NotBuiltError);
    expect(e.message).toBe(`agent.net.arc.modules.body.Sequential[1]: unknown module 'Swish'; supported: ${SUPPORTED_ARC_MODULES.join(', ')}`);
  });
  it('refuses a real module gymlab has not built (MaxPool2d) with NotBuiltError naming it', () => {
    const e = thrown(() => planArc(seq({ MaxPool2d: { kernel_size: 2 } }), [3, 8, 8]));
    expect(e).toBeInstanceOf(NotBuiltError);
    expect((e as NotBuiltError).what).toBe('TorchArcNet module MaxPool2d: not built yet');
    expect(e.message.split('\n')).toHaveLength(1);
  });
  it('names the key path of wrong sizes, arguments and graph references', () => {
    expect(thrown(() => planArc(seq({ Linear: { in_features: 3, out_features: 2 } }), [4])).message).toBe(
      'agent.net.arc.modules.body.Sequential[0].Linear.in_features: is 3 but the input has 4 features',
    );
    expect(thrown(() => planArc(seq({ LazyLinear: { out_features: 2, bogus: 1 } }), [4])).message).toMatch(/Sequential\[0\]\.LazyLinear\.bogus: unknown argument; allowed: out_features, bias$/);
    expect(thrown(() => planArc(seq({ LazyLinear: { out_features: 0 } }), [4])).message).toMatch(/out_features: expected an integer >= 1, got 0$/);
    expect(thrown(() => planArc(seq({ LeakyReLU: { negative_slope: 0.2 } }), [4])).message).toMatch(/negative_slope: only 0\.01 \(torch's default\) is built, got 0\.2$/);
    expect(thrown(() => planArc(seq({ LazyLinear: { out_features: 20000 } }), [4])).message).toMatch(/20000 is more than 16384/);
    const badGraph = { modules: { body: { LazyLinear: { out_features: 2 } } }, graph: { input: 'x', modules: { body: ['y'] }, output: 'body' } };
    expect(thrown(() => planArc(badGraph, [4])).message).toBe("agent.net.arc.graph.modules.body: input 'y' is not the graph input or an earlier node");
    const twoInputs = { modules: { body: { LazyLinear: { out_features: 2 } } }, graph: { input: 'x', modules: { body: ['x', 'x'] }, output: 'body' } };
    expect(thrown(() => planArc(twoInputs, [4]))).toBeInstanceOf(NotBuiltError);
    expect(thrown(() => planArc(seq({ LazyLinear: { out_features: 2 } }), [2, 3])).message).toBe(
      'agent.net.arc.modules.body.Sequential[0].LazyLinear: needs flat features, got shape [2, 3]; add Flatten before it',
    );
    expect(planArc(seq({ Flatten: null }, { LazyLinear: { out_features: 2 } }), [2, 3]).parameters).toBe(6 * 2 + 2);
  });
});

describe('TorchArcNet body (ArcBody) and its tail', () => {
  it('forward equals the hand-computed layers: Linear, Tanh, LayerNorm, Linear + fused ReLU, then the tail', () => {
    const net = buildNet(tf, arcNet(seq({ LazyLinear: { out_features: 3 } }, { Tanh: null }, { LayerNorm: { normalized_shape: [3] } }, { LazyLinear: { out_features: 2 } }, { ReLU: null })), [2], {
      name: 'q', seed: 5, output: { size: 2, activation: null },
    });
    const w = net.namedWeights();
    expect(net.variableNames()).toEqual([
      'q/body/0/kernel', 'q/body/0/bias', 'q/body/2/weight', 'q/body/2/bias', 'q/body/3/kernel', 'q/body/3/bias', 'q/tail/l0/kernel', 'q/tail/l0/bias',
    ]);
    const dense = (x: number[], k: Float32Array, b: Float32Array, out: number): number[] =>
      Array.from({ length: out }, (_, o) => x.reduce((s, xi, i) => s + xi * k[i * out + o], 0) + b[o]);
    const x = [0.7, -1.3];
    const h1 = dense(x, w['q/body/0/kernel'], w['q/body/0/bias'], 3).map(Math.tanh);
    const mean = h1.reduce((a, b) => a + b, 0) / 3;
    const variance = h1.reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
    const ln = h1.map((v) => (v - mean) / Math.sqrt(variance + 1e-5)); // weight 1, bias 0 at init
    const h3 = dense(ln, w['q/body/3/kernel'], w['q/body/3/bias'], 2).map((v) => Math.max(0, v));
    const y = dense(h3, w['q/tail/l0/kernel'], w['q/tail/l0/bias'], 2);
    const out = forward(net, [x])[0];
    out.forEach((v, i) => expect(v).toBeCloseTo(y[i], 5));
    net.dispose();
  });
  it('LayerNorm by hand: a row [1, 2, 3] becomes [-1, 0, 1] / sqrt(2/3 + eps)', () => {
    const net = buildNet(tf, arcNet(seq({ LayerNorm: { normalized_shape: 3 } })), [3], { name: 'n', seed: 1 });
    const out = forward(net, [[1, 2, 3]])[0];
    const s = 1 / Math.sqrt(2 / 3 + 1e-5);
    [-s, 0, s].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
    net.dispose();
  });
  it('BatchNorm1d by hand: batch statistics and running-statistic updates in training, running statistics in evaluation', () => {
    const net = buildNet(tf, arcNet(seq({ LazyBatchNorm1d: null })), [2], { name: 'bn', seed: 1 });
    const x = [[1, 2], [3, 6], [5, 4]]; // mean [3, 4]; biased variance [8/3, 8/3]; unbiased [4, 4]
    const train = forward(net, x, true);
    const s = 1 / Math.sqrt(8 / 3 + 1e-5);
    [[-2 * s, -2 * s], [0, 2 * s], [2 * s, 0]].forEach((row, r) => row.forEach((v, c) => expect(train[r][c]).toBeCloseTo(v, 5)));
    const st = net.getState();
    expect(Array.from(st['bn/body/0/running_mean'].data)).toEqual([0.1 * 3, 0.1 * 4].map(Math.fround));
    Array.from(st['bn/body/0/running_var'].data).forEach((v) => expect(v).toBeCloseTo(0.9 + 0.1 * 4, 6));
    expect(net.variableNames()).toEqual(['bn/body/0/weight', 'bn/body/0/bias']); // running statistics are state, not trainable
    const evalOut = forward(net, [[1, 2]])[0];
    expect(evalOut[0]).toBeCloseTo((1 - 0.3) / Math.sqrt(1.3 + 1e-5), 5);
    expect(evalOut[1]).toBeCloseTo((2 - 0.4) / Math.sqrt(1.3 + 1e-5), 5);
    net.dispose();
  });
  it('Dropout zeroes units only in training, scales the rest by 1 / (1 - p), and draws its masks from the seed', () => {
    const make = (seed: number): NetModule => buildNet(tf, arcNet(seq({ Dropout: { p: 0.25 } })), [64], { name: 'd', seed });
    const ones = [Array.from({ length: 64 }, () => 1)];
    const a = make(3);
    expect(forward(a, ones)[0].every((v) => v === 1)).toBe(true);
    const masked = forward(a, ones, true)[0];
    expect(new Set(masked.map((v) => v.toFixed(5)))).toEqual(new Set(['0.00000', (1 / 0.75).toFixed(5)]));
    const zeros = masked.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(4);
    expect(zeros).toBeLessThan(32);
    expect(forward(make(3), ones, true)[0]).toEqual(masked);
    expect(forward(make(4), ones, true)[0]).not.toEqual(masked);
    a.dispose();
  });
  it('save/load round trip (weights and running statistics), copyFrom, and same-seed determinism', () => {
    const arc = seq({ LazyLinear: { out_features: 6 } }, { LazyBatchNorm1d: null }, { SELU: null }, { LazyLinear: { out_features: 4 } }, { GELU: null });
    const make = (seed: number, name = 'n'): NetModule => buildNet(tf, arcNet(arc, { init_fn: 'orthogonal_' }), [3], { name, seed, output: { size: 2, activation: null } });
    const a = make(1);
    const b = make(1);
    expect(a.namedWeights()).toEqual(b.namedWeights());
    const x = [[0.1, -0.4, 2], [1, 1, -1], [0.3, 0.2, 0.1]];
    forward(a, x, true); // moves a's running statistics
    const c = make(2);
    expect(forward(c, x)).not.toEqual(forward(a, x));
    c.setState(a.getState());
    expect(forward(c, x)).toEqual(forward(a, x));
    const t = make(3, 'target');
    t.copyFrom(a);
    expect(forward(t, x)).toEqual(forward(a, x));
    expect(() => c.setState({})).toThrow(/no tensor 'n\/body\/0\/kernel'/);
    [a, b, c, t].forEach((n) => n.dispose());
  });
  it('gradients reach every trainable variable, and dispose frees them all', () => {
    const before = tf.memory().numTensors;
    const net = buildNet(tf, arcNet(seq({ LazyLinear: { out_features: 5 } }, { LayerNorm: { normalized_shape: 5 } }, { Softplus: null }, { LazyLinear: { out_features: 3 } }, { SiLU: null })), [2], {
      name: 'g', seed: 9, output: { size: 1, activation: null },
    });
    const x = tf.tensor2d([[0.5, -1], [2, 0.3]]);
    const { value, grads } = tf.variableGrads(() => tf.sum(net.forward(x, true)) as never, net.variables as never);
    for (const v of net.variables) expect(Array.from(grads[v.name].dataSync()).some((g: number) => g !== 0)).toBe(true);
    tf.dispose([x, value, ...Object.values(grads)] as Tensor[]);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

const ATARI_ARC = fileURLToPath(new URL('../../../../../shared/slm_lab_specs_next/benchmark_arc/ppo/ppo_atari_arc.yaml', import.meta.url));

describe('TorchArcNet Conv2d / LazyConv2d', () => {
  it('plans torch nn.Conv2d geometry: output maps, parameters, and one-line refusals naming the key path', () => {
    const plan = planArc(seq({ LazyConv2d: { out_channels: 8, kernel_size: 3, stride: 2, padding: 1 } }, { ReLU: null }, { Conv2d: { in_channels: 8, out_channels: 4, kernel_size: [2, 2], bias: false } }, { Flatten: null }), [3, 9, 9]);
    // 9x9 -> floor((9 + 2 - 2 - 1) / 2) + 1 = 5x5 -> 4x4
    expect(plan.outputSize).toBe(4 * 4 * 4);
    expect(plan.parameters).toBe(3 * 3 * 3 * 8 + 8 + 2 * 2 * 8 * 4);
    expect(plan.conv).toBe(true);
    const at = 'agent.net.arc.modules.body.Sequential[0]';
    expect(thrown(() => planArc(seq({ LazyConv2d: { out_channels: 8, kernel_size: 3 } }), [12])).message).toBe(`${at}.LazyConv2d: needs a [channels, height, width] input, got shape [12]`);
    expect(thrown(() => planArc(seq({ Conv2d: { in_channels: 4, out_channels: 8, kernel_size: 3 } }), [3, 8, 8])).message).toBe(`${at}.Conv2d.in_channels: is 4 but the input has 3 channels`);
    expect(thrown(() => planArc(seq({ LazyConv2d: { out_channels: 8, kernel_size: 9 } }), [3, 8, 8])).message).toBe(`${at}.LazyConv2d: kernel 9 (dilation 1, padding 0) does not fit the 8x8 map it receives`);
    expect(thrown(() => planArc(seq({ LazyConv2d: { out_channels: 8 } }), [3, 8, 8])).message).toBe(`${at}.LazyConv2d.kernel_size: is required (an integer >= 1)`);
    expect(thrown(() => planArc(seq({ LazyConv2d: { out_channels: 8, kernel_size: 3, stride: 0 } }), [3, 8, 8])).message).toMatch(/stride: expected an integer >= 1 \(or a pair of them\), got 0$/);
    const nonSquare = thrown(() => planArc(seq({ LazyConv2d: { out_channels: 8, kernel_size: [3, 5] } }), [3, 8, 8]));
    expect(nonSquare).toBeInstanceOf(NotBuiltError);
    expect((nonSquare as NotBuiltError).what).toBe('TorchArcNet LazyConv2d non-square kernel_size: not built yet');
    expect(thrown(() => planArc(seq({ LazyConv2d: { out_channels: 8, kernel_size: 3, groups: 2 } }), [4, 8, 8]))).toBeInstanceOf(NotBuiltError);
    expect(thrown(() => planArc(seq({ LazyConv2d: { out_channels: 8, kernel_size: 3 } }, { LazyLinear: { out_features: 2 } }), [3, 8, 8])).message).toMatch(/LazyLinear: needs flat features, got shape \[8, 6, 6\]; add Flatten before it$/);
  });

  it('forward by hand on [C, H, W] rows: a 2x2 conv over 2 channels, bias, fused ReLU, NHWC flatten', () => {
    const net = buildNet(tf, arcNet(seq({ LazyConv2d: { out_channels: 1, kernel_size: 2 } }, { ReLU: null }, { Flatten: null })), [2, 3, 3], { name: 'c', seed: 1 });
    expect(net.outputSize).toBe(4);
    // kernel [ky, kx, c, o]: channel 0 weights 1, channel 1 weights -1 everywhere; bias 0.5
    const st = net.getState();
    net.setState({ ...st, 'c/body/0/kernel': { shape: [2, 2, 2, 1], data: Float32Array.of(1, -1, 1, -1, 1, -1, 1, -1) }, 'c/body/0/bias': { shape: [1], data: Float32Array.of(0.5) } });
    const ch0 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const ch1 = [0, 0, 0, 0, 10, 0, 0, 0, 0];
    // window sums: ch0 [12, 16, 24, 28], ch1 all 10 -> 12 - 10 + .5, 16 - 10 + .5, 24 - 10 + .5, 28 - 10 + .5
    expect(forward(net, [[...ch0, ...ch1]])[0]).toEqual([2.5, 6.5, 14.5, 18.5]);
    // a window sum below the bias: relu clips it
    expect(forward(net, [[...ch0.map(() => 0), ...ch1]])[0]).toEqual([0, 0, 0, 0]);
    net.dispose();
  });

  it("builds ppo_atari_arc's net on [4, 84, 84] (32x20x20, 64x9x9, 64x7x7, 512) and takes a finite gradient step on wasm", async () => {
    const wasm = (await initBackend({ gpu: false, backend: 'wasm' })).tf;
    const spec = loadSpec(ATARI_ARC, 'ppo_atari_arc', { sets: ['env=ALE/Pong-v5'] });
    const plan = planArc(spec.agent.net.arc, [4, 84, 84]);
    expect(plan.modules[0].layers.filter((l) => l.kind === 'conv2d').map((l) => (l.kind === 'conv2d' ? [l.outChannels, l.kernel, l.stride] : []))).toEqual([[32, 8, 4], [64, 4, 2], [64, 3, 1]]);
    expect(plan.outputSize).toBe(512);
    expect(plan.parameters).toBe(8 * 8 * 4 * 32 + 32 + 4 * 4 * 32 * 64 + 64 + 3 * 3 * 64 * 64 + 64 + 3136 * 512 + 512);
    const net = buildNet(wasm, spec.agent.net, [4, 84, 84], { name: 'atari', seed: 3, hiddenGain: Math.SQRT2, output: { size: 6, activation: null } });
    expect(net.variableNames().slice(0, 2)).toEqual(['atari/body/0/kernel', 'atari/body/0/bias']);
    const before = net.namedWeights();
    const x = wasm.tidy(() => wasm.mul(wasm.randomUniform([2, 4 * 84 * 84], 0, 255, 'float32', 7), 1));
    const out = wasm.tidy(() => net.forward(x));
    expect(out.shape).toEqual([2, 6]);
    out.dispose();
    const opt = wasm.train.sgd(1e-3);
    const cost = opt.minimize(() => wasm.mean(wasm.square(net.forward(x, true))) as never, true, net.variables as never);
    expect(Number.isFinite(cost?.dataSync()[0])).toBe(true);
    cost?.dispose();
    const after = net.namedWeights();
    for (const k of ['atari/body/0/kernel', 'atari/body/2/kernel', 'atari/body/4/kernel', 'atari/body/7/kernel']) {
      expect(after[k].every(Number.isFinite)).toBe(true);
      expect(after[k].some((v, i) => v !== before[k][i])).toBe(true);
    }
    x.dispose();
    net.dispose();
    opt.dispose();
  }, 120_000); // the orthogonal init of the 3136 x 512 layer takes seconds on a loaded machine
});
