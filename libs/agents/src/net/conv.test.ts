import { describe, expect, it } from 'vitest';
import type { Scalar } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import { AgentConfigError } from '../types.js';
import { makeOptimizer } from '../optim/optimizers.js';
import { minimize } from '../optim/minimize.js';
import { BatchNorm2d } from './conv-batch-norm.js';
import { buildDuelingConvNet, checkDuelingConvNet } from './conv-dueling.js';
import { buildConvNet, checkConvNet, initConvKernel, type ConvNetSpec } from './conv.js';
import { Mlp } from './mlp.js';
import type { NetModule } from './types.js';

const wasm = async (): Promise<Tf> => (await initBackend({ gpu: false, backend: 'wasm' })).tf;

const spec = (over: Partial<ConvNetSpec> = {}): ConvNetSpec => ({
  conv_hid_layers: [
    [4, 3, 1, 0, 1],
    [6, 3, 2, 1, 1],
  ],
  fc_hid_layers: [16],
  hid_layers_activation: 'relu',
  init_fn: null,
  normalize: false,
  batch_norm: false,
  ...over,
});
const ATARI: ConvNetSpec = spec({
  conv_hid_layers: [
    [32, 8, 4, 0, 1],
    [64, 4, 2, 0, 1],
    [64, 3, 1, 0, 1],
  ],
  fc_hid_layers: [512],
  normalize: true,
});

const randomBatch = (rows: number, size: number, seed: number, scale = 1): Float32Array => {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * size }, () => scale * rng.random());
};
const out = (tf: Tf, net: NetModule, x: Float32Array, rows: number, training = false): Float32Array =>
  tf.tidy(() => net.forward(tf.tensor2d(x, [rows, x.length / rows]), training).dataSync() as Float32Array);

describe('ConvNet shapes', () => {
  it("SLM Lab's Atari stack on [4, 84, 84]: 20x20x32 -> 9x9x64 -> 7x7x64 = 3136 -> fc 512", async () => {
    const tf = await wasm();
    const net = buildConvNet(tf, ATARI, [4, 84, 84], 1, 'q');
    expect(net.outputSize).toBe(512);
    expect(net.variables.map((v) => v.shape)).toEqual([[8, 8, 4, 32], [32], [4, 4, 32, 64], [64], [3, 3, 64, 64], [64], [3136, 512], [512]]);
    expect(net.variableNames()).toEqual(['q/conv0/kernel', 'q/conv0/bias', 'q/conv1/kernel', 'q/conv1/bias', 'q/conv2/kernel', 'q/conv2/bias', 'q/fc/l0/kernel', 'q/fc/l0/bias']);
    const y = tf.tidy(() => net.forward(tf.tensor4d(randomBatch(3, 4 * 84 * 84, 1, 255), [3, 4, 84, 84])));
    expect(y.shape).toEqual([3, 512]);
    y.dispose();
    const noFc = buildConvNet(tf, { ...ATARI, fc_hid_layers: [] }, [4, 84, 84], 1, 'q');
    expect(noFc.outputSize).toBe(3136);
    expect(out(tf, noFc, randomBatch(2, 4 * 84 * 84, 2, 255), 2).length).toBe(2 * 3136);
    net.dispose();
    noFc.dispose();
  });

  it('check: refuses flat observations, kernels that do not fit, zero strides, with the key path', () => {
    const fails = (f: () => void, re: RegExp): void => {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AgentConfigError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    };
    fails(() => checkConvNet(ATARI, [4]), /^agent\.net\.type: ConvNet takes image observations \[channels, height, width\]; .*shape \[4\]/);
    fails(() => checkConvNet(ATARI, [4, 30, 30]), /^agent\.net\.conv_hid_layers\[2\]: kernel 3 .* 2x2 map/);
    fails(() => checkConvNet(spec({ conv_hid_layers: [[4, 3, 0]] }), [1, 8, 8]), /^agent\.net\.conv_hid_layers\[0\]\[2\]: stride must be an integer >= 1, got 0/);
    fails(() => checkConvNet(spec({ conv_hid_layers: [] }), [1, 8, 8]), /^agent\.net\.conv_hid_layers: ConvNet needs at least one layer/);
    fails(() => checkConvNet(spec({ conv_hid_layers: [[8, 1]], fc_hid_layers: [16384, 16384] }), [1, 128, 128]), /parameters .* at most 1e\+8/);
    fails(() => checkDuelingConvNet(ATARI, [8], 2), /^agent\.net\.type: DuelingConvNet takes image observations/);
    expect(() => checkConvNet(ATARI, [4, 84, 84])).not.toThrow();
    // [out, kernel] alone: stride 1, padding 0, dilation 1
    expect(() => checkConvNet(spec({ conv_hid_layers: [[2, 3]] }), [1, 3, 3])).not.toThrow();
  });
});

describe('ConvNet forward by hand', () => {
  it('one 2x2 kernel on a 2x2 image: sum(x k) + b, then relu; normalize divides by 255', async () => {
    const tf = await wasm();
    const s = spec({ conv_hid_layers: [[1, 2, 1, 0, 1]], fc_hid_layers: [], hid_layers_activation: 'linear' });
    const net = buildConvNet(tf, s, [1, 2, 2], 0, 'c');
    net.setState({ 'c/conv0/kernel': { shape: [2, 2, 1, 1], data: Float32Array.from([1, 0, 0, -1]) }, 'c/conv0/bias': { shape: [1], data: Float32Array.from([0.5]) } });
    // [[1, 2], [3, 4]] * [[1, 0], [0, -1]] + 0.5 = 1 - 4 + 0.5
    expect(Array.from(out(tf, net, Float32Array.from([1, 2, 3, 4]), 1))).toEqual([-2.5]);
    const relu = buildConvNet(tf, { ...s, hid_layers_activation: 'relu' }, [1, 2, 2], 0, 'c');
    relu.copyFrom(net);
    expect(Array.from(out(tf, relu, Float32Array.from([1, 2, 3, 4]), 1))).toEqual([0]);
    expect(Array.from(out(tf, relu, Float32Array.from([4, 3, 2, 1]), 1))).toEqual([3.5]);
    const norm = buildConvNet(tf, { ...s, normalize: true }, [1, 2, 2], 0, 'c');
    norm.copyFrom(net);
    expect(out(tf, norm, Float32Array.from([255, 0, 0, 510]), 1)[0]).toBeCloseTo(1 - 2 + 0.5, 6);
    for (const n of [net, relu, norm]) n.dispose();
  });

  it('[C, H, W] rows: channels are read as PyTorch lays them out (two channels, two outputs, tanh)', async () => {
    const tf = await wasm();
    const [C, H, W, O] = [2, 2, 3, 2];
    const net = buildConvNet(tf, spec({ conv_hid_layers: [[O, 2, 1, 0, 1]], fc_hid_layers: [], hid_layers_activation: 'tanh' }), [C, H, W], 3, 'c');
    const st = net.getState();
    const k = st['c/conv0/kernel'].data; // [ky, kx, c, o]
    const b = st['c/conv0/bias'].data;
    const x = Float32Array.from({ length: C * H * W }, (_, i) => (i % 5) - 2); // x[c][y][x] at c*H*W + y*W + x
    const want: number[] = [];
    for (let ox = 0; ox < 2; ox++) {
      for (let o = 0; o < O; o++) {
        let z = b[o];
        for (let c = 0; c < C; c++) for (let ky = 0; ky < 2; ky++) for (let kx = 0; kx < 2; kx++) z += x[c * H * W + ky * W + ox + kx] * k[((ky * 2 + kx) * C + c) * O + o];
        want.push(Math.tanh(z));
      }
    }
    const got = out(tf, net, x, 1); // NHWC flatten: (y 0, x 0, o 0), (0, 0, 1), (0, 1, 0), (0, 1, 1)
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    net.dispose();
  });

  it('DuelingConvNet: Q = V + A - mean A from the body output; mean_a Q = V', async () => {
    const tf = await wasm();
    const net = buildDuelingConvNet(tf, spec(), [2, 7, 7], 5, 'd', 3);
    expect(net.outputSize).toBe(3);
    const x = randomBatch(4, 2 * 7 * 7, 4);
    const h = out(tf, net.body, x, 4);
    const w = net.namedWeights();
    const q = out(tf, net, x, 4);
    for (let r = 0; r < 4; r++) {
      const hr = h.subarray(r * 16, r * 16 + 16);
      const v = hr.reduce((s, hi, i) => s + hi * w['d/v/l0/kernel'][i], w['d/v/l0/bias'][0]);
      const a = [0, 1, 2].map((j) => hr.reduce((s, hi, i) => s + hi * w['d/adv/l0/kernel'][i * 3 + j], w['d/adv/l0/bias'][j]));
      const meanA = (a[0] + a[1] + a[2]) / 3;
      a.forEach((aj, j) => expect(q[r * 3 + j]).toBeCloseTo(v + aj - meanA, 5));
      expect((q[r * 3] + q[r * 3 + 1] + q[r * 3 + 2]) / 3).toBeCloseTo(v, 5);
    }
    net.dispose();
  });
});

describe('init and batch norm by hand', () => {
  it("conv init: torch's default bound 1/sqrt(C_in k k); xavier counts fan_out = C_out k k; orthogonal rows in torch layout", () => {
    const d = initConvKernel(3, 4, 2, null, 1, new Rng(1));
    expect(d.kernel.length).toBe(2 * 2 * 3 * 4);
    const bound = 1 / Math.sqrt(12);
    expect([...d.kernel, ...d.bias].every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(Math.max(...d.kernel.map(Math.abs))).toBeGreaterThan(0.8 * bound);
    const xav = initConvKernel(3, 4, 2, 'xavier_uniform_', 1, new Rng(2));
    const xb = Math.sqrt(6 / (12 + 16));
    expect(xav.kernel.every((v) => Math.abs(v) <= xb + 1e-7)).toBe(true);
    expect(Math.max(...xav.kernel.map(Math.abs))).toBeGreaterThan(0.85 * xb);
    expect(xav.bias.every((v) => v === 0)).toBe(true);
    const orth = initConvKernel(3, 4, 2, 'orthogonal_', 2, new Rng(3)).kernel; // [ky, kx, c, o]
    const row = (o: number): number[] => Array.from({ length: 12 }, (_, j) => orth[j * 4 + o]); // torch's weight[o] flattened (order irrelevant for dot products)
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) expect(row(a).reduce((s, v, j) => s + v * row(b)[j], 0)).toBeCloseTo(a === b ? 4 : 0, 5);
  });

  it('BatchNorm2d: batch statistics in training (biased var), running stats move 0.1 towards mean and unbiased var', async () => {
    const tf = await wasm();
    const bn = new BatchNorm2d(tf, 2);
    // channel 0: 1, 3, 5, 7 (mean 4, var 5, unbiased 20/3); channel 1: all 2 (mean 2, var 0)
    const x = tf.tensor4d([1, 2, 3, 2, 5, 2, 7, 2], [2, 2, 1, 2]);
    const y = tf.tidy(() => bn.forward(x, true).dataSync());
    const inv = 1 / Math.sqrt(5 + 1e-5);
    [-3, 0, -1, 0, 1, 0, 3, 0].forEach((v, i) => expect(y[i]).toBeCloseTo(i % 2 === 0 ? v * inv : 0, 5));
    expect(Array.from(bn.runningMean.dataSync()).map((v) => +v.toFixed(6))).toEqual([0.4, 0.2]);
    const rv = bn.runningVar.dataSync();
    expect(rv[0]).toBeCloseTo(0.9 + 0.1 * (20 / 3), 6);
    expect(rv[1]).toBeCloseTo(0.9, 6);
    const e = tf.tidy(() => bn.forward(x, false).dataSync()); // running stats: (x - 0.4) / sqrt(rv + eps)
    expect(e[0]).toBeCloseTo((1 - 0.4) / Math.sqrt(rv[0] + 1e-5), 5);
    x.dispose();
    bn.dispose();
  });
});

describe('ConvNet state, determinism, training', () => {
  it('save/load round trip (batch norm running stats included); copyFrom; polyakFrom moves weights only', async () => {
    const tf = await wasm();
    const s = spec({ batch_norm: true });
    const a = buildConvNet(tf, s, [2, 9, 9], 1, 'n');
    const x = randomBatch(5, 2 * 9 * 9, 7);
    out(tf, a, x, 5, true); // moves the running statistics
    const state = a.getState();
    expect(Object.keys(state)).toContain('n/bn1/running_mean');
    expect(a.variableNames()).toContain('n/bn1/gamma');
    const b = buildConvNet(tf, s, [2, 9, 9], 2, 'n');
    expect(Array.from(out(tf, b, x, 5))).not.toEqual(Array.from(out(tf, a, x, 5)));
    b.setState(state);
    expect(Array.from(out(tf, b, x, 5))).toEqual(Array.from(out(tf, a, x, 5)));
    const c = buildConvNet(tf, s, [2, 9, 9], 3, 'n');
    c.copyFrom(a);
    expect(Array.from(out(tf, c, x, 5))).toEqual(Array.from(out(tf, a, x, 5)));
    const d = buildConvNet(tf, s, [2, 9, 9], 4, 'n');
    const before = d.getState();
    d.polyakFrom(a, 0.25);
    const k0 = 'n/conv0/kernel';
    d.getState()[k0].data.forEach((v, i) => expect(v).toBeCloseTo(0.25 * state[k0].data[i] + 0.75 * before[k0].data[i], 6));
    expect(Array.from(d.getState()['n/bn1/running_mean'].data)).toEqual(Array.from(before['n/bn1/running_mean'].data));
    expect(() => b.setState({ ...state, 'n/conv1/bias': { shape: [5], data: new Float32Array(5) } })).toThrow(/'n\/conv1\/bias' has shape \[5\], expected \[6\]/);
    expect(() => a.copyFrom(buildConvNet(tf, spec(), [2, 9, 9], 1, 'n'))).toThrow(/architectures differ/);
    for (const n of [a, b, c, d]) n.dispose();
  });

  it('same seed: same weights and outputs (cpu and wasm alike); another seed differs', async () => {
    const cpu = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
    const x = randomBatch(3, 2 * 9 * 9, 9);
    const onCpu = buildDuelingConvNet(cpu, spec({ init_fn: 'orthogonal_' }), [2, 9, 9], 11, 'q', 4);
    const wCpu = onCpu.getState();
    const yCpu = out(cpu, onCpu, x, 3);
    onCpu.dispose();
    const tf = await wasm();
    const a = buildDuelingConvNet(tf, spec({ init_fn: 'orthogonal_' }), [2, 9, 9], 11, 'q', 4);
    const b = buildDuelingConvNet(tf, spec({ init_fn: 'orthogonal_' }), [2, 9, 9], 12, 'q', 4);
    expect(a.getState()).toEqual(wCpu);
    out(tf, a, x, 3).forEach((v, i) => expect(v).toBeCloseTo(yCpu[i], 5));
    expect(Array.from(a.getState()['q/conv0/kernel'].data)).not.toEqual(Array.from(b.getState()['q/conv0/kernel'].data));
    a.dispose();
    b.dispose();
  });

  it('Adam steps on wasm reduce a regression loss (ConvNet + linear head; DuelingConvNet; with batch norm)', async () => {
    const tf = await wasm();
    const rows = 16;
    const x = randomBatch(rows, 2 * 9 * 9, 21, 255);
    const target = randomBatch(rows, 3, 22, 2);
    const nets: { net: NetModule; head: Mlp | null }[] = [];
    const body = buildConvNet(tf, spec({ normalize: true, batch_norm: true }), [2, 9, 9], 1, 'b');
    nets.push({ net: body, head: new Mlp(tf, { inputSize: body.outputSize, hidden: [], activation: 'relu', outputSize: 3, initFn: null, seed: 2, name: 'h' }) });
    nets.push({ net: buildDuelingConvNet(tf, spec({ normalize: true }), [2, 9, 9], 3, 'd', 3), head: null });
    for (const { net, head } of nets) {
      const vars = [...net.variables, ...(head?.variables ?? [])];
      const opt = makeOptimizer(tf, { name: 'Adam', lr: 0.003 }, vars);
      const xs = tf.tensor2d(x, [rows, 2 * 9 * 9]);
      const ys = tf.tensor2d(target, [rows, 3]);
      const loss = (): Scalar => {
        const h = net.forward(xs, true);
        return tf.mean(tf.square(tf.sub(head ? head.forward(h) : h, ys))) as Scalar;
      };
      const firstKernel = `${net.name}/conv0/kernel`;
      const before = net.namedWeights()[firstKernel];
      const losses: number[] = [];
      for (let step = 0; step < 60; step++) losses.push(minimize(tf, opt, loss, vars, 10).loss);
      expect(losses[59]).toBeLessThan(0.3 * losses[0]);
      // the conv kernels learn too (their gradient reaches them through every layer above)
      const after = net.namedWeights()[firstKernel];
      expect(after.reduce((m, v, i) => Math.max(m, Math.abs(v - before[i])), 0)).toBeGreaterThan(1e-3);
      for (const t of [xs, ys]) t.dispose();
      opt.dispose();
      net.dispose();
      head?.dispose();
    }
  });
});
