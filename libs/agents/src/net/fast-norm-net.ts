/**
 * A net of the fast CPU path that may hold Batch Renormalization layers (CrossQ's critics): the
 * spec's MLPNet, or a TorchArcNet whose graph calls one Sequential of Linear / LazyLinear,
 * activations (relu, tanh; selu fused into a Linear), Identity and (Lazy)BatchRenorm1d on the
 * input, then SLM Lab's tail Linear. The linear layers between two norms run as one `FastMlp`
 * (a segment); each norm (`FastBatchRenorm`, with the activation after it) keeps its weight and
 * bias as the extra parameters of the segment before it, so the segments' flat buffers, in order,
 * are the tfjs net's trainable variables in its order, and one `FastAdam` per segment is one Adam
 * step of the whole net. Initial weights are the tfjs net's per seed (the same draws as
 * `buildNet`: ArcBody's and the tail's generators), and the checkpoint tensors carry its names
 * (`<name>/body/<i>/kernel|bias|weight|running_mean|running_var|step`, `<name>/tail/l0/...`).
 */
import { FAST_ACTIVATIONS, FastAdam, FastMlp, type FastActivation, type FastAdamConfig, type FastKernels } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { Activation, NetSpec } from '@gymlab/spec';
import { NotBuiltError } from '../types.js';
import { planArc } from './arc-spec.js';
import type { BatchRenormParams } from './batch-renorm.js';
import { FastBatchRenorm, type BrnActivation } from './fast-batch-renorm.js';
import { takeTensor } from './fast-mlp.js';
import { calculateGain, initLinear } from './init.js';
import type { TensorData } from './types.js';

/** One linear layer of a segment: its tfjs name prefix, its size and fused activation. */
interface LinearPlan {
  readonly name: string;
  readonly size: number;
  readonly activation: FastActivation;
  readonly tail: boolean;
}
interface NormPlan {
  readonly name: string;
  readonly layer: FastBatchRenormInit;
}
type FastBatchRenormInit = BatchRenormParams & { readonly size: number; readonly activation: BrnActivation };
/** Segments of linear layers; after each but the last, a norm. */
interface Plan {
  readonly segments: LinearPlan[][];
  readonly norms: NormPlan[];
}

type Refuse = (what: string) => never;

/** NotBuiltError naming the net's key path, e.g. `backend fast: agent.critic_net TorchArcNet layer 'layer_norm' not built yet; ...`. */
const refuser =
  (path: string): Refuse =>
  (what) => {
    throw new NotBuiltError(`backend fast: ${path} ${what} not built yet`, 'it runs MLPNet, and TorchArcNet of one Sequential of Linear, ReLU, Tanh and LazyBatchRenorm1d; use another agent.net.backend');
  };

function fastAct(a: Activation | null | undefined, what: string, refuse: Refuse): FastActivation {
  const name = a ?? 'linear';
  if (!(FAST_ACTIVATIONS as readonly string[]).includes(name)) refuse(`${what} '${name}'`);
  return name as FastActivation;
}

/** The layers of `net` on input [inputSize] with an output of `outputSize` units, as segments and norms (NotBuiltError when the fast path lacks one). */
function planOf(net: NetSpec, inputSize: number, name: string, outputSize: number, path: string): Plan {
  const refuse: Refuse = refuser(path);
  const out = fastAct(net.out_layer_activation, 'out_layer_activation', refuse);
  if (net.type === 'MLPNet') {
    if (net.batch_norm || net.layer_norm) refuse('MLPNet batch_norm/layer_norm');
    const act = fastAct(net.hid_layers_activation, 'hid_layers_activation', refuse);
    const hidden = net.hid_layers.map((size, i) => ({ name: `${name}/l${i}`, size, activation: act, tail: false }));
    return { segments: [[...hidden, { name: `${name}/l${hidden.length}`, size: outputSize, activation: out, tail: true }]], norms: [] };
  }
  if (net.type !== 'TorchArcNet') refuse(`agent.net.type '${net.type}'`);
  if (net.normalize) refuse('TorchArcNet normalize');
  const plan = planArc(net.arc, [inputSize]);
  const m = plan.modules[0];
  if (plan.modules.length !== 1 || plan.calls.length !== 1 || plan.calls[0].input !== plan.input || plan.conv) refuse('a TorchArcNet graph other than one module on the input');
  const segments: LinearPlan[][] = [[]];
  const norms: NormPlan[] = [];
  const prefix = (i: number): string => (m.sequential ? `${name}/${m.name}/${i}` : `${name}/${m.name}`);
  for (let i = 0; i < m.layers.length; i++) {
    const layer = m.layers[i];
    const next = m.layers[i + 1];
    const seg = segments[segments.length - 1];
    const fused = next?.kind === 'activation' ? fastAct(next.activation, 'activation', refuse) : null;
    if (layer.kind === 'identity') continue;
    if (layer.kind === 'linear') {
      if (!layer.bias) refuse('Linear without bias');
      seg.push({ name: prefix(i), size: layer.outFeatures, activation: fused ?? 'linear', tail: false });
    } else if (layer.kind === 'batch_renorm') {
      if (seg.length === 0 || seg[seg.length - 1].activation !== 'linear') refuse('LazyBatchRenorm1d other than right after a Linear');
      if (fused === 'selu') refuse("activation 'selu' after LazyBatchRenorm1d");
      norms.push({ name: prefix(i), layer: { ...layer, activation: fused ?? 'linear' } });
      segments.push([]);
    } else refuse(`TorchArcNet layer '${layer.kind}'`);
    if (fused !== null) i++;
  }
  segments[segments.length - 1].push({ name: `${name}/tail/l0`, size: outputSize, activation: out, tail: true });
  return { segments, norms };
}

export interface FastNormNetConfig {
  readonly net: NetSpec;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly name: string;
  readonly seed: number;
  readonly maxBatch: number;
  /** The spec's key path of `net`, for refusals (e.g. `agent.critic_net`). */
  readonly path: string;
}

/** Throws NotBuiltError (one line naming `path`) when `net` has a layer the fast path lacks. */
export function checkFastNormNet(net: NetSpec, inputSize: number, path: string): void {
  planOf(net, inputSize, 'net', 1, path);
}

export class FastNormNet {
  readonly segments: readonly FastMlp[];
  readonly norms: readonly FastBatchRenorm[];
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly plan: Plan;

  constructor(kernels: FastKernels, c: FastNormNetConfig) {
    const plan = planOf(c.net, c.inputSize, c.name, c.outputSize, c.path);
    this.plan = plan;
    this.inputSize = c.inputSize;
    this.outputSize = c.outputSize;
    const gain = calculateGain(c.net.hid_layers_activation);
    // buildNet's draws: MLPNet from Rng(seed); TorchArcNet's body from a generator derived twice, the tail from the second derived seed
    const arc = c.net.type === 'TorchArcNet';
    const seeds = new Rng(c.seed);
    const bodyRng = arc ? new Rng(new Rng(seeds.deriveSeed()).deriveSeed()) : new Rng(c.seed);
    const tailRng = arc ? new Rng(seeds.deriveSeed()) : bodyRng;
    let inputSize = c.inputSize;
    this.segments = plan.segments.map((seg, k) => {
      const norm = plan.norms[k];
      const mlp = new FastMlp(kernels, {
        inputSize,
        layers: seg.map((l) => ({ size: l.size, activation: l.activation })),
        maxBatch: c.maxBatch,
        extraParams: norm === undefined ? 0 : 2 * norm.layer.size,
        init: (l, fanIn, fanOut) => initLinear(fanIn, fanOut, c.net.init_fn, gain, seg[l].tail ? tailRng : bodyRng),
      });
      mlp.extra.fill(1, 0, mlp.extra.length / 2); // a norm's weight starts at 1, its bias at 0
      inputSize = seg[seg.length - 1].size;
      return mlp;
    });
    this.norms = plan.norms.map((n) => new FastBatchRenorm(kernels, n.layer.size, n.layer, n.layer.activation, c.maxBatch));
  }

  /** Write the batch here, [rows * inputSize]. */
  get input(): Float32Array {
    return this.segments[0].input;
  }

  /** dL/d(output) before `backward`. */
  get outputGrad(): Float32Array {
    return this.segments[this.segments.length - 1].outputGrad;
  }

  /** dL/d(input) after `backward(rows, true)`. */
  get inputGrad(): Float32Array {
    return this.segments[0].inputGrad;
  }

  /** The net on `input`'s first `rows` rows; norms in training mode (batch statistics, running statistics moved) or evaluation mode. */
  forward(rows: number, training = false): Float32Array {
    const s = this.segments;
    for (let k = 0; k < s.length - 1; k++) this.norms[k].forward(s[k].forward(rows), rows, training, s[k].extra, s[k + 1].input);
    return s[s.length - 1].forward(rows);
  }

  /**
   * Every gradient from `outputGrad` for the last forward; with `inputGrad`, also dL/d(input). With
   * `weightGrads` false the linear layers' weight gradients are not computed (they keep what they held).
   */
  backward(rows: number, inputGrad = false, weightGrads = true): void {
    const s = this.segments;
    for (let k = s.length - 1; k >= 0; k--) {
      s[k].backward(rows, k > 0 || inputGrad, weightGrads);
      if (k > 0) this.norms[k - 1].backward(s[k].inputGrad, rows, s[k - 1].extra, s[k - 1].extraGrad, s[k - 1].outputGrad);
    }
  }

  /** Global L2 norm of all gradients. */
  gradNorm(): number {
    let sq = 0;
    for (const s of this.segments) sq += s.gradNorm() ** 2;
    return Math.sqrt(sq);
  }

  /** torch's clip_grad_norm_ over the whole net; the norm before clipping. */
  clipGradNorm(maxNorm: number): number {
    const norm = this.gradNorm();
    const coef = Math.fround(maxNorm / (norm + 1e-6));
    if (coef < 1) for (const s of this.segments) for (let i = 0; i < s.grads.length; i++) s.grads[i] = Math.fround(s.grads[i] * coef);
    return norm;
  }

  /** A flat concatenation of one per-segment view (params, an optimizer slot): the tfjs optimizer's flat layout. */
  flat(view: (s: FastMlp) => Float32Array): Float32Array {
    const out = new Float32Array(this.segments.reduce((n, s) => n + s.size, 0));
    let at = 0;
    for (const s of this.segments) {
      out.set(view(s), at);
      at += s.size;
    }
    return out;
  }

  /** Fills one per-segment view from a flat array laid out as `flat`'s. */
  setFlat(view: (s: FastMlp) => Float32Array, data: Float32Array): void {
    let at = 0;
    for (const s of this.segments) {
      view(s).set(data.subarray(at, at + s.size));
      at += s.size;
    }
  }

  /** The tfjs net's tensors by name: kernels [in, out], biases, norm weights, biases and running statistics (copies). */
  tensors(): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    const copy = (data: Float32Array, shape: number[]): TensorData => ({ shape, data: data.slice() });
    this.plan.segments.forEach((seg, k) => {
      const s = this.segments[k];
      seg.forEach((l, i) => {
        const v = s.layers[i];
        out[`${l.name}/kernel`] = copy(v.kernel, [v.kernel.length / v.bias.length, v.bias.length]);
        out[`${l.name}/bias`] = copy(v.bias, [v.bias.length]);
      });
      const norm = this.plan.norms[k];
      if (norm === undefined) return;
      const n = this.norms[k];
      const D = n.size;
      Object.assign(out, {
        [`${norm.name}/weight`]: copy(s.extra.subarray(0, D), [D]),
        [`${norm.name}/bias`]: copy(s.extra.subarray(D), [D]),
        [`${norm.name}/running_mean`]: copy(n.runningMean, [D]),
        [`${norm.name}/running_var`]: copy(n.runningVar, [D]),
        [`${norm.name}/step`]: { shape: [1], data: Float32Array.of(n.step) },
      });
    });
    return out;
  }

  /** Restores `tensors()`' names (AgentConfigError naming `who` and the key when one is missing or misfit). */
  setTensors(t: Readonly<Record<string, TensorData>>, who: string): void {
    const expected = this.tensors();
    const into: Record<string, Float32Array> = {};
    this.plan.segments.forEach((seg, k) => {
      const s = this.segments[k];
      seg.forEach((l, i) => Object.assign(into, { [`${l.name}/kernel`]: s.layers[i].kernel, [`${l.name}/bias`]: s.layers[i].bias }));
      const norm = this.plan.norms[k];
      if (norm === undefined) return;
      const n = this.norms[k];
      Object.assign(into, { [`${norm.name}/weight`]: s.extra.subarray(0, n.size), [`${norm.name}/bias`]: s.extra.subarray(n.size), [`${norm.name}/running_mean`]: n.runningMean, [`${norm.name}/running_var`]: n.runningVar });
    });
    for (const key of Object.keys(expected)) {
      if (key.endsWith('/step')) {
        const one = new Float32Array(1);
        takeTensor(t, key, one, who);
        this.norms[this.plan.norms.findIndex((n) => `${n.name}/step` === key)].step = one[0];
      } else takeTensor(t, key, into[key], who);
    }
  }
}

/** One Adam (or AdamW) over every segment of a FastNormNet: one torch optimizer step of the whole net. */
export class FastNormNetAdam {
  private readonly opts: readonly FastAdam[];
  constructor(net: FastNormNet, config: FastAdamConfig) {
    this.opts = net.segments.map((s) => new FastAdam(s, config));
  }
  get lr(): number {
    return this.opts[0].lr;
  }
  set lr(v: number) {
    for (const o of this.opts) o.lr = v;
  }
  get stepCount(): number {
    return this.opts[0].stepCount;
  }
  set stepCount(t: number) {
    for (const o of this.opts) o.stepCount = t;
  }
  step(): void {
    for (const o of this.opts) o.step();
  }
}
