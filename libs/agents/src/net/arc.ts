/**
 * The body of SLM Lab's TorchArcNet: the layers an `ArcPlan` lists, on tfjs variables, called in
 * the graph's order; an output of more than one dimension per sample is flattened, as SLM Lab does.
 * Linear layers are initialised as torch does (nn.Linear's default, or `init_fn` with the gain of
 * `hid_layers_activation`, as SLM Lab's init_layers); a Linear followed by an activation runs as
 * one op where the activation allows it. Dropout masks come from a seeded generator and apply only
 * in training; BatchNorm1d uses batch statistics in training and its running statistics otherwise,
 * as does BatchRenorm1d (batch-renorm.ts: SLM Lab's, corrected towards the running statistics).
 * Conv2d / LazyConv2d run on `conv2dOp` (trains on wasm) with torch nn.Conv2d's init (or `init_fn`,
 * as SLM Lab's init_layers); when the plan has a conv layer, image observations ([C, H, W] per row,
 * torch's layout) are transposed once to NHWC, tfjs's layout, and every image tensor in the body
 * stays NHWC, so Flatten (and the final flattening) orders features (y, x, channel), unlike torch's
 * (channel, y, x): the weights are gymlab's own, as ConvNet's. Kernels are [k, k, C_in, C_out].
 *
 * Weight names: `${name}/${module}/${index}/kernel|bias` (Sequential) or `${name}/${module}/kernel|bias`,
 * norms `.../weight|bias|running_mean|running_var` (BatchRenorm1d also `.../step`).
 */
import type { Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { Activation, InitFn } from '@gymlab/spec';
import { activationGradFromOutput, applyActivation } from './activation.js';
import type { ArcLayer, ArcPlan } from './arc-spec.js';
import { initLinear } from './init.js';
import { initConvKernel } from './conv.js';
import { conv2dOp, convFusable, type Conv2dFn } from './conv2d-op.js';
import { applyDense, denseLayer, type DenseLayer } from './mlp.js';
import { NamedVars, NamedVarsNet, type NamedVar } from './named-vars.js';
import { batchNorm1d, layerNorm, type NormLayer } from './norm.js';
import { batchRenorm1d } from './batch-renorm.js';

export interface ArcBodyConfig {
  readonly plan: ArcPlan;
  readonly inputShape: readonly number[];
  readonly initFn: InitFn | null;
  /** Gain of `init_fn` (orthogonal_, xavier_*, kaiming_*). */
  readonly gain: number;
  readonly seed: number;
  readonly name: string;
  /** Input multiplier: 1 / 255 for TorchArcNet's `normalize` (image inputs), else 1. */
  readonly scaleInput: number;
}

/** One runnable step of a module. */
type Step =
  | { readonly kind: 'dense'; readonly dense: DenseLayer }
  | { readonly kind: 'conv'; readonly op: Conv2dFn; readonly kernel: Variable; readonly bias: Variable }
  | { readonly kind: 'activation'; readonly activation: Activation }
  | { readonly kind: 'norm'; readonly norm: NormLayer }
  | { readonly kind: 'dropout'; readonly p: number }
  | { readonly kind: 'flatten' };

export class ArcBody extends NamedVarsNet {
  private readonly tf: Tf;
  private readonly cfg: ArcBodyConfig;
  private readonly modules: ReadonlyMap<string, readonly Step[]>;
  private readonly dropoutRng: Rng;

  constructor(tf: Tf, cfg: ArcBodyConfig) {
    const seeds = new Rng(cfg.seed);
    const initRng = new Rng(seeds.deriveSeed());
    const named: NamedVar[] = [];
    const modules = new Map<string, Step[]>();
    for (const m of cfg.plan.modules) {
      const steps: Step[] = [];
      // a module's first layer that only ever reads the observations needs no input gradient
      const readsInput = cfg.plan.calls.every((c) => c.module !== m.name || c.input === cfg.plan.input);
      for (let i = 0; i < m.layers.length; i++) {
        const layer = m.layers[i];
        const next = m.layers[i + 1];
        const fuse = layer.kind === 'linear' ? fusable(next) : layer.kind === 'conv2d' && next?.kind === 'activation' && convFusable(next.activation) ? next.activation : null;
        const prefix = m.sequential ? `${cfg.name}/${m.name}/${i}` : `${cfg.name}/${m.name}`;
        const step = makeStep(tf, cfg, layer, prefix, initRng, named, fuse, !(readsInput && i === 0));
        if (step !== null) steps.push(step);
        if (fuse !== null) i++; // the activation runs inside the Linear's op
      }
      modules.set(m.name, steps);
    }
    super(cfg.name, cfg.plan.outputSize, new NamedVars(tf, cfg.name, named));
    this.tf = tf;
    this.cfg = cfg;
    this.modules = modules;
    this.dropoutRng = new Rng(seeds.deriveSeed());
  }

  /** [B, ...inputShape] (or [B, prod(inputShape)]) -> [B, outputSize]. */
  forward(x: Tensor, training = false): Tensor2D {
    const tf = this.tf;
    const plan = this.cfg.plan;
    const rows = x.shape[0];
    let shaped = x.rank === this.cfg.inputShape.length + 1 ? x : tf.reshape(x, [rows, ...this.cfg.inputShape]);
    if (plan.conv && shaped.rank === 4) shaped = tf.transpose(shaped, [0, 2, 3, 1]); // NCHW -> NHWC
    const nodes = new Map<string, Tensor>([[plan.input, this.cfg.scaleInput === 1 ? shaped : tf.mul(shaped, this.cfg.scaleInput)]]);
    for (const call of plan.calls) {
      let h = nodes.get(call.input) as Tensor;
      for (const step of this.modules.get(call.module) ?? []) h = this.run(step, h, training);
      nodes.set(call.node, h);
    }
    const out = nodes.get(plan.output) as Tensor;
    return (out.rank === 2 ? out : tf.reshape(out, [rows, -1])) as Tensor2D;
  }

  private run(step: Step, h: Tensor, training: boolean): Tensor {
    const tf = this.tf;
    switch (step.kind) {
      case 'dense':
        return applyDense(tf, step.dense, h as Tensor2D);
      case 'conv':
        return step.op(h as Tensor4D, step.kernel as Tensor4D, step.bias as Tensor1D);
      case 'activation':
        return applyActivation(tf, h as Tensor2D, step.activation);
      case 'norm':
        return step.norm.apply(h as Tensor2D, training);
      case 'dropout':
        return training && step.p > 0 ? tf.mul(h, tf.tensor(this.dropoutMask(h.size, step.p), h.shape)) : h;
      case 'flatten':
        return tf.reshape(h, [h.shape[0], -1]);
    }
  }

  /** Inverted dropout: each unit kept with probability 1 - p and scaled by 1 / (1 - p). */
  private dropoutMask(n: number, p: number): Float32Array {
    const mask = new Float32Array(n);
    const scale = 1 / (1 - p);
    for (let i = 0; i < n; i++) mask[i] = this.dropoutRng.random() < p ? 0 : scale;
    return mask;
  }
}

/** The activation a Linear can run inside its op when it comes right after it. */
function fusable(next: ArcLayer | undefined): Activation | null {
  return next?.kind === 'activation' && activationGradFromOutput.supports(next.activation) ? next.activation : null;
}

/** One layer of the plan as a runnable step, its variables appended to `named`. */
function makeStep(tf: Tf, cfg: ArcBodyConfig, layer: ArcLayer, prefix: string, rng: Rng, named: NamedVar[], fuse: Activation | null, inputGrad: boolean): Step | null {
  switch (layer.kind) {
    case 'conv2d': {
      const { inChannels: c, outChannels: o, kernel: k } = layer;
      const init = initConvKernel(c, o, k, cfg.initFn, cfg.gain, rng);
      if (!layer.bias) init.bias.fill(0);
      const kernel = tf.tidy(() => tf.variable(tf.tensor4d(init.kernel, [k, k, c, o]), true));
      const bias = tf.tidy(() => tf.variable(tf.tensor1d(init.bias), layer.bias));
      named.push({ name: `${prefix}/kernel`, v: kernel, trainable: true }, { name: `${prefix}/bias`, v: bias, trainable: layer.bias });
      return { kind: 'conv', op: conv2dOp(tf, layer, { activation: fuse, inputGrad }), kernel, bias };
    }
    case 'linear': {
      const init = initLinear(layer.inFeatures, layer.outFeatures, cfg.initFn, cfg.gain, rng);
      if (!layer.bias) init.bias.fill(0);
      const dense = denseLayer(tf, layer.inFeatures, layer.outFeatures, init, fuse);
      named.push({ name: `${prefix}/kernel`, v: dense.kernel, trainable: true }, { name: `${prefix}/bias`, v: dense.bias, trainable: layer.bias });
      return { kind: 'dense', dense };
    }
    case 'activation':
      return { kind: 'activation', activation: layer.activation };
    case 'identity':
      return null;
    case 'layer_norm':
    case 'batch_norm':
    case 'batch_renorm': {
      const norm = layer.kind === 'layer_norm' ? layerNorm(tf, layer.size, layer) : layer.kind === 'batch_norm' ? batchNorm1d(tf, layer.size, layer) : batchRenorm1d(tf, layer.size, layer);
      for (const t of norm.trainable) named.push({ name: `${prefix}/${t.suffix}`, v: t.v, trainable: true });
      for (const b of norm.buffers) named.push({ name: `${prefix}/${b.suffix}`, v: b.v, trainable: false });
      return { kind: 'norm', norm };
    }
    case 'dropout':
      return { kind: 'dropout', p: layer.p };
    case 'flatten':
      return { kind: 'flatten' };
  }
}
