/**
 * SLM Lab's RecurrentNet body (recurrent.py, v5.3): optional fully connected layers
 * `fc_hid_layers` (with `hid_layers_activation`) applied to each frame, then a stack of
 * `rnn_num_layers` recurrent layers (`cell_type` GRU, LSTM or RNN, `rnn_hidden_size` units, torch's
 * gate equations) run over the `seq_len` frames of each row; the output is the last layer's final
 * hidden state [B, rnn_hidden_size] (torch's h_n[-1]); the heads are the factory's.
 *
 * Input: [B, seq_len, obs], or its flattening [B, seq_len * obs] (what `ObsSequences` makes), or
 * single states [B, obs], which SLM Lab 5.3 repeats seq_len times (its agents hand the net one
 * state per row). The recurrence is unrolled into matMul, sigmoid and tanh ops, whose gradients
 * run on every tfjs backend (wasm included).
 *
 * Init, torch and SLM Lab: every recurrent weight and bias U(+-1/sqrt(rnn_hidden_size)); with an
 * `init_fn`, SLM Lab re-initialises GRU weight matrices (weight_ih, weight_hh, each as one
 * [3 hidden, in] matrix, gain of `hid_layers_activation`) and zeroes GRU biases, and leaves LSTM
 * and RNN layers at torch's default (its init_params matches the class name GRU only).
 */
import type { Tensor, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { NetSpec } from '@gymlab/spec';
import { AgentConfigError, NotBuiltError } from '../types.js';
import { calculateGain, initLinear } from './init.js';
import { assignNamedState, fcLayers } from './conv-fc.js';
import type { Mlp } from './mlp.js';
import type { NetModule, TensorData } from './types.js';

/** The keys of `agent.net` a RecurrentNet reads. */
export type RecurrentNetSpec = Pick<
  NetSpec,
  'cell_type' | 'fc_hid_layers' | 'hid_layers_activation' | 'rnn_hidden_size' | 'rnn_num_layers' | 'bidirectional' | 'seq_len' | 'init_fn'
>;
export type CellType = 'GRU' | 'LSTM' | 'RNN';

/** Gate blocks per cell, in torch's order: GRU (r, z, n), LSTM (i, f, g, o), RNN (one tanh). */
const GATES: Readonly<Record<CellType, number>> = { GRU: 3, LSTM: 4, RNN: 1 };

interface Plan {
  readonly cell: CellType;
  readonly hidden: number;
  readonly layers: number;
  readonly seqLen: number;
  readonly obsSize: number;
}

function plan(spec: RecurrentNetSpec, inputShape: readonly number[]): Plan {
  if (inputShape.length !== 1 || !Number.isInteger(inputShape[0]) || inputShape[0] < 1) {
    throw new AgentConfigError(`agent.net.type: RecurrentNet takes vector observations [size]; this env's observations have shape [${inputShape.join(', ')}]`);
  }
  if (spec.bidirectional === true) throw new NotBuiltError('RecurrentNet bidirectional: not built yet', 'set agent.net.bidirectional to false');
  const need = (key: 'rnn_hidden_size' | 'seq_len'): number => {
    const v = spec[key];
    if (v === null || !Number.isInteger(v) || v < 1) throw new AgentConfigError(`agent.net.${key}: RecurrentNet needs a positive integer, got ${String(v)}`);
    return v;
  };
  const layers = spec.rnn_num_layers ?? 1;
  if (!Number.isInteger(layers) || layers < 1) throw new AgentConfigError(`agent.net.rnn_num_layers: must be a positive integer, got ${layers}`);
  return { cell: spec.cell_type ?? 'GRU', hidden: need('rnn_hidden_size'), layers, seqLen: need('seq_len'), obsSize: inputShape[0] };
}

/** Validates a RecurrentNet spec against the observation shape [size] without building tensors (AgentConfigError / NotBuiltError, one line). */
export function checkRecurrentNet(spec: RecurrentNetSpec, inputShape: readonly number[]): void {
  plan(spec, inputShape);
}

/** One recurrent layer's weights, tfjs orientation: kernels [in, gates hidden] and [hidden, gates hidden]. */
interface RnnLayer {
  readonly kernelIh: Variable;
  readonly kernelHh: Variable;
  readonly biasIh: Variable;
  readonly biasHh: Variable;
}

/**
 * One time step of a cell on precomputed input projections: gi = x W_ih + b_ih, gh = h W_hh + b_hh
 * ([B, gates hidden] each). Returns the new h (and c for LSTM).
 */
export function cellStep(tf: Tf, cell: CellType, gi: Tensor2D, gh: Tensor2D, h: Tensor2D, c: Tensor2D | null, hidden: number): { h: Tensor2D; c: Tensor2D | null } {
  switch (cell) {
    case 'RNN':
      return { h: tf.tanh(tf.add(gi, gh)) as Tensor2D, c: null };
    case 'GRU': {
      const [ir, iz, inn] = tf.split(gi, [hidden, hidden, hidden], 1);
      const [hr, hz, hn] = tf.split(gh, [hidden, hidden, hidden], 1);
      const r = tf.sigmoid(tf.add(ir, hr));
      const z = tf.sigmoid(tf.add(iz, hz));
      const n = tf.tanh(tf.add(inn, tf.mul(r, hn)));
      // h' = (1 - z) n + z h = n + z (h - n)
      return { h: tf.add(n, tf.mul(z, tf.sub(h, n))) as Tensor2D, c: null };
    }
    case 'LSTM': {
      const g = tf.add(gi, gh);
      const [i, f, gg, o] = tf.split(g, [hidden, hidden, hidden, hidden], 1);
      const cNext = tf.add(tf.mul(tf.sigmoid(f), c as Tensor2D), tf.mul(tf.sigmoid(i), tf.tanh(gg)));
      return { h: tf.mul(tf.sigmoid(o), tf.tanh(cNext)) as Tensor2D, c: cNext as Tensor2D };
    }
  }
}

export class RecurrentNet implements NetModule {
  readonly name: string;
  readonly outputSize: number;
  readonly variables: readonly Variable[];
  readonly cell: CellType;
  readonly seqLen: number;
  readonly obsSize: number;
  private readonly hidden: number;
  private readonly fc: Mlp | null;
  private readonly layers: readonly RnnLayer[];

  constructor(
    private readonly tf: Tf,
    spec: RecurrentNetSpec,
    inputShape: readonly number[],
    seed: number,
    name: string,
  ) {
    const p = plan(spec, inputShape);
    this.name = name;
    this.cell = p.cell;
    this.hidden = p.hidden;
    this.seqLen = p.seqLen;
    this.obsSize = p.obsSize;
    this.outputSize = p.hidden;
    const rng = new Rng(seed);
    const act = spec.hid_layers_activation;
    this.fc = fcLayers(tf, p.obsSize, spec.fc_hid_layers ?? [], act, spec.init_fn, rng.deriveSeed(), `${name}/fc`);
    const gateUnits = GATES[p.cell] * p.hidden;
    const bound = 1 / Math.sqrt(p.hidden);
    const named = spec.init_fn !== null && spec.init_fn !== 'default' && p.cell === 'GRU';
    const matrix = (fanIn: number): Float32Array => {
      // torch layout [gates hidden, fanIn] -> tfjs kernel [fanIn, gates hidden]
      const w = named ? initLinear(fanIn, gateUnits, spec.init_fn, calculateGain(act), rng).weight : Float32Array.from({ length: gateUnits * fanIn }, () => rng.uniform(-bound, bound));
      const k = new Float32Array(w.length);
      for (let o = 0; o < gateUnits; o++) for (let j = 0; j < fanIn; j++) k[j * gateUnits + o] = w[o * fanIn + j];
      return k;
    };
    const bias = (): Float32Array => (named ? new Float32Array(gateUnits) : Float32Array.from({ length: gateUnits }, () => rng.uniform(-bound, bound)));
    const layers: RnnLayer[] = [];
    let inSize = this.fc?.outputSize ?? p.obsSize;
    for (let l = 0; l < p.layers; l++) {
      // torch's parameter order: weight_ih, weight_hh, bias_ih, bias_hh
      const [kih, khh, bih, bhh] = [matrix(inSize), matrix(p.hidden), bias(), bias()];
      layers.push({
        kernelIh: tf.tidy(() => tf.variable(tf.tensor2d(kih, [inSize, gateUnits]), true)),
        kernelHh: tf.tidy(() => tf.variable(tf.tensor2d(khh, [p.hidden, gateUnits]), true)),
        biasIh: tf.tidy(() => tf.variable(tf.tensor1d(bih), true)),
        biasHh: tf.tidy(() => tf.variable(tf.tensor1d(bhh), true)),
      });
      inSize = p.hidden;
    }
    this.layers = layers;
    this.variables = [...(this.fc?.variables ?? []), ...layers.flatMap((l) => [l.kernelIh, l.kernelHh, l.biasIh, l.biasHh])];
  }

  /** [B, seq_len, obs], [B, seq_len * obs] or [B, obs] (repeated seq_len times) -> [B, rnn_hidden_size]. */
  forward(x: Tensor): Tensor2D {
    const tf = this.tf;
    const [T, F, H] = [this.seqLen, this.obsSize, this.hidden];
    let seq: Tensor3D;
    if (x.rank === 3 && x.shape[1] === T && x.shape[2] === F) seq = x as Tensor3D;
    else if (x.rank === 2 && x.shape[1] === T * F) seq = tf.reshape(x, [-1, T, F]);
    else if (x.rank === 2 && x.shape[1] === F) seq = tf.tile(tf.expandDims(x, 1), [1, T, 1]) as Tensor3D;
    else throw new Error(`RecurrentNet ${this.name}: input shape [${x.shape.join(', ')}] is not [B, ${T}, ${F}], [B, ${T * F}] or [B, ${F}]`);
    const B = seq.shape[0];
    let inputs: Tensor2D = tf.reshape(seq, [B * T, F]);
    if (this.fc !== null) inputs = this.fc.forward(inputs);
    let h: Tensor2D = tf.zeros([B, H]);
    this.layers.forEach((layer, l) => {
      const gates = layer.kernelIh.shape[1] ?? 0;
      const proj = tf.reshape(tf.add(tf.matMul(inputs, layer.kernelIh as Tensor2D), layer.biasIh), [B, T, gates]);
      const steps = tf.unstack(proj, 1) as Tensor2D[];
      h = tf.zeros([B, H]);
      let c: Tensor2D | null = this.cell === 'LSTM' ? tf.zeros([B, H]) : null;
      const outs: Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const gh = tf.add(tf.matMul(h, layer.kernelHh as Tensor2D), layer.biasHh) as Tensor2D;
        ({ h, c } = cellStep(tf, this.cell, steps[t], gh, h, c, H));
        outs.push(h);
      }
      if (l + 1 < this.layers.length) inputs = tf.reshape(tf.stack(outs, 1), [B * T, H]);
    });
    return h;
  }

  variableNames(): string[] {
    return [
      ...(this.fc?.variableNames() ?? []),
      ...this.layers.flatMap((_, l) => ['kernel_ih', 'kernel_hh', 'bias_ih', 'bias_hh'].map((n) => `${this.name}/rnn${l}/${n}`)),
    ];
  }

  namedWeights(): Record<string, Float32Array> {
    const names = this.variableNames();
    return Object.fromEntries(this.variables.map((v, i) => [names[i], v.dataSync() as Float32Array]));
  }

  getState(): Record<string, TensorData> {
    const names = this.variableNames();
    return Object.fromEntries(this.variables.map((v, i) => [names[i], { shape: v.shape.slice(), data: v.dataSync() as Float32Array }]));
  }

  setState(state: Readonly<Record<string, TensorData>>): void {
    const names = this.variableNames();
    assignNamedState(this.tf, this.variables.map((v, i) => [names[i], v] as const), state);
  }

  copyFrom(other: NetModule): void {
    const src = this.same(other);
    this.variables.forEach((v, i) => v.assign(src.variables[i]));
  }

  polyakFrom(other: NetModule, coef: number): void {
    const tf = this.tf;
    const src = this.same(other);
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(tf.add(tf.mul(src.variables[i], coef), tf.mul(v, 1 - coef)))));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }

  private same(other: NetModule): RecurrentNet {
    const ok =
      other instanceof RecurrentNet &&
      other.cell === this.cell &&
      other.variables.length === this.variables.length &&
      other.variables.every((v, i) => v.shape.join(',') === this.variables[i].shape.join(','));
    if (!ok) throw new Error(`RecurrentNet ${this.name}: cannot copy from ${other.name}, architectures differ`);
    return other;
  }
}

/** The factory's builder for `net.type: RecurrentNet` (body only; the algorithm adds its heads). */
export function buildRecurrentNet(tf: Tf, spec: RecurrentNetSpec, inputShape: readonly number[], seed: number, name: string): RecurrentNet {
  return new RecurrentNet(tf, spec, inputShape, seed, name);
}
