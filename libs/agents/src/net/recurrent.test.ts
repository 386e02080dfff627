import { describe, expect, it } from 'vitest';
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import { AgentConfigError, NotBuiltError } from '../types.js';
import { makeOptimizer } from '../optim/optimizers.js';
import { minimize } from '../optim/minimize.js';
import { buildRecurrentNet, checkRecurrentNet, type RecurrentNetSpec } from './recurrent.js';
import { ObsSequences } from './recurrent-seq.js';
import { thrown } from '../test-utils/thrown.js';

const cpu = async (): Promise<Tf> => (await initBackend({ gpu: false, backend: 'cpu' })).tf;
const wasm = async (): Promise<Tf> => (await initBackend({ gpu: false, backend: 'wasm' })).tf;

/** sil_rnn_shared_cartpole's net. */
const spec = (over: Partial<RecurrentNetSpec> = {}): RecurrentNetSpec => ({
  cell_type: 'GRU',
  fc_hid_layers: [],
  hid_layers_activation: 'relu',
  rnn_hidden_size: 32,
  rnn_num_layers: 1,
  bidirectional: false,
  seq_len: 4,
  init_fn: null,
  ...over,
});
const sig = (v: number): number => 1 / (1 + Math.exp(-v));
const t = (data: number[], shape: number[]) => ({ shape, data: Float32Array.from(data) });
const run = (tf: Tf, net: { forward(x: Tensor): Tensor }, x: number[], shape: number[]): Float32Array =>
  tf.tidy(() => net.forward(tf.tensor(x, shape)).dataSync() as Float32Array);

describe('cells by hand (input 1, hidden 1)', () => {
  it('GRU: one step from h0 = 0, then a second step through W_hh', async () => {
    const tf = await wasm();
    const one = buildRecurrentNet(tf, spec({ rnn_hidden_size: 1, seq_len: 1 }), [1], 0, 'g');
    // gate order (r, z, n)
    const state = {
      'g/rnn0/kernel_ih': t([1, -1, 0.5], [1, 3]),
      'g/rnn0/kernel_hh': t([0.3, 0.2, -0.4], [1, 3]),
      'g/rnn0/bias_ih': t([0, 0.1, 0], [3]),
      'g/rnn0/bias_hh': t([0, 0, 2], [3]),
    };
    one.setState(state);
    // x = 1, h0 = 0: r = s(1), z = s(-1 + 0.1), n = tanh(0.5 + r * 2), h1 = (1 - z) n
    const r1 = sig(1);
    const z1 = sig(-0.9);
    const n1 = Math.tanh(0.5 + r1 * 2);
    const h1 = (1 - z1) * n1;
    expect(run(tf, one, [1], [1, 1])[0]).toBeCloseTo(h1, 6);
    const two = buildRecurrentNet(tf, spec({ rnn_hidden_size: 1, seq_len: 2 }), [1], 0, 'g');
    two.setState(state);
    // x2 = -2: r = s(-2 + 0.3 h1), z = s(2 + 0.1 + 0.2 h1), n = tanh(-1 + r (-0.4 h1 + 2)), h2 = (1 - z) n + z h1
    const r2 = sig(-2 + 0.3 * h1);
    const z2 = sig(2.1 + 0.2 * h1);
    const n2 = Math.tanh(-1 + r2 * (-0.4 * h1 + 2));
    expect(run(tf, two, [1, -2], [1, 2, 1])[0]).toBeCloseTo((1 - z2) * n2 + z2 * h1, 6);
    one.dispose();
    two.dispose();
  });

  it('LSTM and RNN: one step', async () => {
    const tf = await wasm();
    const lstm = buildRecurrentNet(tf, spec({ cell_type: 'LSTM', rnn_hidden_size: 1, seq_len: 1 }), [1], 0, 'l');
    // gate order (i, f, g, o); x = 2, h0 = c0 = 0
    lstm.setState({
      'l/rnn0/kernel_ih': t([0.5, 1, -0.25, 1], [1, 4]),
      'l/rnn0/kernel_hh': t([9, 9, 9, 9], [1, 4]),
      'l/rnn0/bias_ih': t([0, 0, 0, -1], [4]),
      'l/rnn0/bias_hh': t([0, 0, 0, 0.5], [4]),
    });
    const c1 = sig(1) * Math.tanh(-0.5); // f c0 + i g
    expect(run(tf, lstm, [2], [1, 1])[0]).toBeCloseTo(sig(2 - 0.5) * Math.tanh(c1), 6);
    const rnn = buildRecurrentNet(tf, spec({ cell_type: 'RNN', rnn_hidden_size: 1, seq_len: 2 }), [1], 0, 'r');
    rnn.setState({ 'r/rnn0/kernel_ih': t([0.5], [1, 1]), 'r/rnn0/kernel_hh': t([-2], [1, 1]), 'r/rnn0/bias_ih': t([0.1], [1]), 'r/rnn0/bias_hh': t([0.2], [1]) });
    const h1 = Math.tanh(0.5 * 1 + 0.3);
    expect(run(tf, rnn, [1, 3], [1, 2, 1])[0]).toBeCloseTo(Math.tanh(1.5 - 2 * h1 + 0.3), 6);
    lstm.dispose();
    rnn.dispose();
  });
});

describe('RecurrentNet shapes and checks', () => {
  it("sil_rnn_cartpole's GRU: [B, 4, 4], [B, 16] and [B, 4] (repeated, SLM Lab 5.3) in, [B, 32] out", async () => {
    const tf = await wasm();
    const net = buildRecurrentNet(tf, spec(), [4], 1, 'pi');
    expect(net.outputSize).toBe(32);
    expect(net.variables.map((v) => v.shape)).toEqual([[4, 96], [32, 96], [96], [96]]);
    const rng = new Rng(2);
    const seq = Array.from({ length: 3 * 16 }, () => rng.normal());
    const a = run(tf, net, seq, [3, 4, 4]);
    expect(a.length).toBe(96);
    expect(Array.from(run(tf, net, seq, [3, 16]))).toEqual(Array.from(a));
    const single = seq.slice(0, 4);
    expect(Array.from(run(tf, net, single, [1, 4]))).toEqual(Array.from(run(tf, net, [...single, ...single, ...single, ...single], [1, 16])));
    expect(() => run(tf, net, [1, 2, 3], [1, 3])).toThrow(/input shape \[1, 3\] is not \[B, 4, 4\], \[B, 16\] or \[B, 4\]/);
    net.dispose();
  });

  it('fc layers then 2 stacked LSTM layers: names and shapes', async () => {
    const tf = await wasm();
    const net = buildRecurrentNet(tf, spec({ cell_type: 'LSTM', fc_hid_layers: [8, 6], rnn_hidden_size: 5, rnn_num_layers: 2, seq_len: 3 }), [4], 1, 'v');
    expect(net.variableNames()).toEqual([
      'v/fc/l0/kernel', 'v/fc/l0/bias', 'v/fc/l1/kernel', 'v/fc/l1/bias',
      'v/rnn0/kernel_ih', 'v/rnn0/kernel_hh', 'v/rnn0/bias_ih', 'v/rnn0/bias_hh',
      'v/rnn1/kernel_ih', 'v/rnn1/kernel_hh', 'v/rnn1/bias_ih', 'v/rnn1/bias_hh',
    ]);
    expect(net.variables.slice(4).map((v) => v.shape)).toEqual([[6, 20], [5, 20], [20], [20], [5, 20], [5, 20], [20], [20]]);
    expect(run(tf, net, Array.from({ length: 2 * 12 }, (_, i) => i / 10), [2, 12]).length).toBe(10);
    net.dispose();
  });

  it('check: vector observations only; bidirectional is not built; seq_len and rnn_hidden_size required', () => {
    const img = thrown(() => checkRecurrentNet(spec(), [4, 84, 84]));
    expect(img).toBeInstanceOf(AgentConfigError);
    expect(img.message).toMatch(/^agent\.net\.type: RecurrentNet takes vector observations \[size\]; .*\[4, 84, 84\]$/);
    const bi = thrown(() => checkRecurrentNet(spec({ bidirectional: true }), [4]));
    expect(bi).toBeInstanceOf(NotBuiltError);
    expect((bi as NotBuiltError).what).toBe('RecurrentNet bidirectional: not built yet');
    expect(thrown(() => checkRecurrentNet(spec({ seq_len: null }), [4])).message).toBe('agent.net.seq_len: RecurrentNet needs a positive integer, got null');
    expect(thrown(() => checkRecurrentNet(spec({ rnn_hidden_size: null }), [4])).message).toMatch(/^agent\.net\.rnn_hidden_size:/);
    expect(() => checkRecurrentNet(spec(), [4])).not.toThrow();
  });
});

describe('RecurrentNet init, state, determinism, training', () => {
  it("init: torch's U(+-1/sqrt(hidden)); init_fn re-initialises GRU matrices and zeroes GRU biases, leaves LSTM at the default", async () => {
    const tf = await wasm();
    const all = (net: { namedWeights(): Record<string, Float32Array> }): Float32Array[] => Object.values(net.namedWeights());
    const dflt = buildRecurrentNet(tf, spec({ rnn_hidden_size: 16 }), [4], 3, 'a');
    for (const w of all(dflt)) expect(w.every((v) => Math.abs(v) <= 0.25)).toBe(true);
    expect(Math.max(...all(dflt).map((w) => Math.max(...w.map(Math.abs))))).toBeGreaterThan(0.2);
    const orth = buildRecurrentNet(tf, spec({ rnn_hidden_size: 16, init_fn: 'orthogonal_' }), [4], 3, 'a');
    const w = orth.namedWeights();
    expect(w['a/rnn0/bias_ih'].every((v) => v === 0) && w['a/rnn0/bias_hh'].every((v) => v === 0)).toBe(true);
    // weight_ih is torch's [48, 4] matrix, orthogonal columns times gain sqrt(2) (relu): kernel [4, 48] rows
    const k = w['a/rnn0/kernel_ih'];
    const dot = (i: number, j: number): number => Array.from({ length: 48 }, (_, o) => k[i * 48 + o] * k[j * 48 + o]).reduce((s, v) => s + v, 0);
    expect(dot(0, 0)).toBeCloseTo(2, 4);
    expect(dot(0, 1)).toBeCloseTo(0, 4);
    const lstm = buildRecurrentNet(tf, spec({ cell_type: 'LSTM', rnn_hidden_size: 16, init_fn: 'orthogonal_' }), [4], 3, 'a');
    expect(lstm.namedWeights()['a/rnn0/bias_ih'].some((v) => v !== 0)).toBe(true);
    for (const n of [dflt, orth, lstm]) n.dispose();
  });

  it('save/load round trip, copyFrom, polyakFrom; same seed same numbers on cpu and wasm', async () => {
    const c = await cpu();
    const x = Array.from({ length: 2 * 8 }, (_, i) => Math.sin(i));
    const onCpu = buildRecurrentNet(c, spec({ fc_hid_layers: [8], rnn_num_layers: 2 }), [2], 7, 'n');
    const stateCpu = onCpu.getState();
    const yCpu = run(c, onCpu, x, [2, 8]);
    onCpu.dispose();
    const tf = await wasm();
    const a = buildRecurrentNet(tf, spec({ fc_hid_layers: [8], rnn_num_layers: 2 }), [2], 7, 'n');
    expect(a.getState()).toEqual(stateCpu);
    run(tf, a, x, [2, 8]).forEach((v, i) => expect(v).toBeCloseTo(yCpu[i], 5));
    const b = buildRecurrentNet(tf, spec({ fc_hid_layers: [8], rnn_num_layers: 2 }), [2], 8, 'n');
    expect(Array.from(run(tf, b, x, [2, 8]))).not.toEqual(Array.from(run(tf, a, x, [2, 8])));
    b.setState(a.getState());
    expect(Array.from(run(tf, b, x, [2, 8]))).toEqual(Array.from(run(tf, a, x, [2, 8])));
    const d = buildRecurrentNet(tf, spec({ fc_hid_layers: [8], rnn_num_layers: 2 }), [2], 9, 'n');
    const before = d.getState()['n/rnn1/kernel_hh'].data;
    d.polyakFrom(a, 0.5);
    d.getState()['n/rnn1/kernel_hh'].data.forEach((v, i) => expect(v).toBeCloseTo(0.5 * stateCpu['n/rnn1/kernel_hh'].data[i] + 0.5 * before[i], 6));
    d.copyFrom(a);
    expect(d.getState()).toEqual(a.getState());
    expect(() => d.copyFrom(buildRecurrentNet(tf, spec({ cell_type: 'LSTM', fc_hid_layers: [8], rnn_num_layers: 2 }), [2], 1, 'n'))).toThrow(/architectures differ/);
    for (const n of [a, b, d]) n.dispose();
  });

  it('gradients through the recurrence: wasm equals cpu, every cell', async () => {
    const grads = (tf: Tf, cell: 'GRU' | 'LSTM' | 'RNN'): Float32Array[] => {
      const net = buildRecurrentNet(tf, spec({ cell_type: cell, rnn_hidden_size: 6, fc_hid_layers: [5], rnn_num_layers: 2, seq_len: 3 }), [3], 4, 'g');
      const x = tf.tensor2d(Array.from({ length: 2 * 9 }, (_, i) => Math.cos(i)), [2, 9]);
      const { grads: g } = tf.variableGrads(() => tf.sum(tf.square(net.forward(x))) as Scalar, net.variables as never);
      const out = net.variables.map((v) => g[v.name].dataSync() as Float32Array);
      Object.values(g).forEach((t2) => t2.dispose());
      x.dispose();
      net.dispose();
      return out;
    };
    for (const cell of ['GRU', 'LSTM', 'RNN'] as const) {
      const want = grads(await cpu(), cell);
      const got = grads(await wasm(), cell);
      expect(want.every((gv) => gv.some((v) => v !== 0))).toBe(true);
      got.forEach((gv, i) => gv.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 4)));
    }
  });

  it('Adam on wasm learns to recall the first frame of a sequence (GRU + linear read-out)', async () => {
    const tf = await wasm();
    const net = buildRecurrentNet(tf, spec({ rnn_hidden_size: 16, seq_len: 4 }), [2], 1, 'm');
    const readout = tf.variable(tf.zeros([16, 1]));
    const rng = new Rng(5);
    const rows = 64;
    const xs = Array.from({ length: rows * 8 }, () => rng.uniform(-1, 1));
    const ys = Array.from({ length: rows }, (_, r) => xs[r * 8]); // the first frame's first feature
    const x = tf.tensor2d(xs, [rows, 8]);
    const y = tf.tensor2d(ys, [rows, 1]);
    const vars = [...net.variables, readout];
    const opt = makeOptimizer(tf, { name: 'Adam', lr: 0.01 }, vars);
    const losses: number[] = [];
    for (let s = 0; s < 150; s++) losses.push(minimize(tf, opt, () => tf.mean(tf.square(tf.sub(tf.matMul(net.forward(x), readout), y))) as Scalar, vars, null).loss);
    expect(losses[0]).toBeGreaterThan(0.2);
    expect(losses[149]).toBeLessThan(0.1 * losses[0]);
    for (const t2 of [x, y, readout]) t2.dispose();
    opt.dispose();
    net.dispose();
  });
});

describe('ObsSequences (SLM Lab v4 frame stack, mode stack)', () => {
  it('zeros before an episode start, shifts each step, restarts a row after its episode ends', () => {
    const s = new ObsSequences(2, 1, 3);
    expect(Array.from(s.push(Float32Array.from([1, 10])))).toEqual([0, 0, 1, 0, 0, 10]);
    expect(Array.from(s.push(Float32Array.from([2, 20])))).toEqual([0, 1, 2, 0, 10, 20]);
    // the next states for bootstrapping: the windows shifted with nextObs (row 1's terminal observation 99)
    expect(Array.from(s.peekNext(Float32Array.from([3, 99])))).toEqual([1, 2, 3, 10, 20, 99]);
    s.endEpisodes(Uint8Array.from([0, 0]), Uint8Array.from([0, 1]));
    expect(Array.from(s.push(Float32Array.from([3, 30])))).toEqual([1, 2, 3, 0, 0, 30]);
    expect(Array.from(s.push(Float32Array.from([4, 40])))).toEqual([2, 3, 4, 0, 30, 40]);
    s.endEpisodes([1, 0], [0, 0]);
    expect(Array.from(s.push(Float32Array.from([5, 50])))).toEqual([0, 0, 5, 30, 40, 50]);
    s.reset();
    expect(Array.from(s.push(Float32Array.from([6, 60])))).toEqual([0, 0, 6, 0, 0, 60]);
  });

  it('multi-feature observations keep frame order; wrong sizes are refused', () => {
    const s = new ObsSequences(1, 2, 2);
    s.push(Float32Array.from([1, 2]));
    expect(Array.from(s.push(Float32Array.from([3, 4])))).toEqual([1, 2, 3, 4]);
    expect(s.windowSize).toBe(4);
    expect(() => s.push(Float32Array.from([1, 2, 3]))).toThrow('ObsSequences.push: expected 1 rows of 2 floats, got 3 floats');
    expect(() => new ObsSequences(0, 2, 2)).toThrow(/rows must be a positive integer/);
  });
});
