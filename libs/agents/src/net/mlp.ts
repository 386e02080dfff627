/**
 * A multi-layer perceptron on tfjs variables: each layer is one fused matMul + bias (+ activation
 * when tfjs can fuse it). Weights are initialised in JS from the seed, so every backend starts
 * from the same numbers.
 */
import type { GradSaveFunc, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { Activation, InitFn } from '@gymlab/spec';
import { activationGradFromOutput, applyActivation, fusedActivation } from './activation.js';
import { calculateGain, initLinear, type LayerInit } from './init.js';
import { NamedVars, type NamedVar } from './named-vars.js';
import { batchNorm1d, layerNorm, type NormLayer } from './norm.js';
import type { NetModule, TensorData } from './types.js';

export interface MlpConfig {
  readonly inputSize: number;
  /** Hidden layer widths; [] makes a single linear layer. */
  readonly hidden: readonly number[];
  /** Activation after each hidden layer. */
  readonly activation: Activation;
  readonly outputSize: number;
  /** Activation after the output layer; null/undefined/'linear': none. */
  readonly outputActivation?: Activation | null;
  /** SLM Lab `init_fn`; null: torch's nn.Linear default. */
  readonly initFn: InitFn | null;
  /** Seeds the initial weights. */
  readonly seed: number;
  /** Prefix of the weight names: `${name}/l${i}/kernel`, `${name}/l${i}/bias` (the output layer is the last i). */
  readonly name: string;
  /** Gain for hidden layers (orthogonal_, xavier_*, kaiming_*); default calculateGain(activation), as SLM Lab. */
  readonly hiddenGain?: number;
  /** Gain for the output layer; default the hidden gain, as SLM Lab. */
  readonly outputGain?: number;
  /**
   * SLM Lab 5.3's MLPNet `layer_norm` / `batch_norm`: a LayerNorm or BatchNorm1d after each hidden
   * Linear, before its activation (torch defaults: eps 1e-5, BatchNorm momentum 0.1). Default none.
   */
  readonly norm?: MlpNorm | null;
  /** Normalise the output layer too (a body whose last layer is a hidden layer of the full net). */
  readonly normOutput?: boolean;
}

export type MlpNorm = 'layer_norm' | 'batch_norm';

export type { TensorData } from './types.js';

/** One Linear layer and the activation after it, as one op where it can be. */
export interface DenseLayer {
  readonly kernel: Variable; // [in, out]
  readonly bias: Variable; // [out]
  /** x -> act(x W + b), with a hand-written gradient (see `denseOp`). */
  readonly op: (x: Tensor2D, w: Tensor, b: Tensor) => Tensor2D;
  /** Activation applied outside `op` (those whose derivative is not a function of the output). */
  readonly after: Activation | null;
}

/** A Linear layer from torch-layout initial weights, followed by `activation` (null: none). */
export function denseLayer(tf: Tf, fanIn: number, fanOut: number, init: LayerInit, activation: Activation | null): DenseLayer {
  // torch layout [out, in] -> kernel [in, out]
  const k = new Float32Array(fanIn * fanOut);
  for (let o = 0; o < fanOut; o++) for (let j = 0; j < fanIn; j++) k[j * fanOut + o] = init.weight[o * fanIn + j];
  const inside = activation === null || activationGradFromOutput.supports(activation);
  return {
    kernel: tf.tidy(() => tf.variable(tf.tensor2d(k, [fanIn, fanOut]), true)),
    bias: tf.tidy(() => tf.variable(tf.tensor1d(init.bias), true)),
    op: denseOp(tf, inside ? activation : null),
    after: inside ? null : activation,
  };
}

/** y = after(op(x W + b)). */
export function applyDense(tf: Tf, l: DenseLayer, x: Tensor2D): Tensor2D {
  const y = l.op(x, l.kernel, l.bias);
  return l.after === null ? y : applyActivation(tf, y, l.after);
}

interface Layer {
  readonly dense: DenseLayer;
  readonly norm: NormLayer | null;
  /** The activation after the norm (with a norm, `dense` has none). */
  readonly act: Activation | null;
}

/**
 * A dense layer as one custom-gradient op: forward is tfjs's fused matMul (+ bias + activation when
 * it can be fused); backward computes dx = dz W^T and dW = x^T dz with explicit transposes and
 * untransposed matMuls, because the wasm backend's XNNPACK path only covers untransposed matMul
 * (transposed ones, which autodiff of matMul uses, run ~4x slower). `act` must be one whose
 * derivative is a function of the output y (activationGradFromOutput).
 */
function denseOp(tf: Tf, act: Activation | null): (x: Tensor2D, w: Tensor, b: Tensor) => Tensor2D {
  const fused = fusedActivation(act);
  return tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [x, w, b, save] = args as [Tensor2D, Tensor2D, Tensor, GradSaveFunc];
    let y: Tensor2D;
    if (act === 'tanh') {
      // tanh(z) = 2 sigmoid(2z) - 1: tfjs-wasm's Tanh kernel is ~10x slower than its fused sigmoid.
      const s = tf.fused.matMul({ a: x, b: tf.mul(w, 2) as Tensor2D, bias: tf.mul(b, 2), activation: 'sigmoid' });
      y = tf.sub(tf.mul(s, 2), 1) as Tensor2D;
    } else {
      y = tf.fused.matMul({ a: x, b: w, bias: b, activation: fused ?? 'linear', leakyreluAlpha: 0.01 }) as Tensor2D;
      if (fused === null && act !== null) y = applyActivation(tf, y, act);
    }
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx, sw, sy] = saved;
        const dz = activationGradFromOutput(tf, dy as Tensor2D, sy as Tensor2D, act);
        return [tf.matMul(dz, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dz), tf.sum(dz, 0)];
      },
    };
  }) as (x: Tensor2D, w: Tensor, b: Tensor) => Tensor2D;
}

export class Mlp implements NetModule {
  readonly variables: readonly Variable[];
  readonly inputSize: number;
  readonly outputSize: number;
  readonly name: string;
  private readonly layers: readonly Layer[];
  private readonly vars: NamedVars;

  constructor(
    private readonly tf: Tf,
    cfg: MlpConfig,
  ) {
    if (!Number.isInteger(cfg.inputSize) || cfg.inputSize < 1) throw new Error(`Mlp ${cfg.name}: inputSize must be a positive integer, got ${cfg.inputSize}`);
    if (!Number.isInteger(cfg.outputSize) || cfg.outputSize < 1) throw new Error(`Mlp ${cfg.name}: outputSize must be a positive integer, got ${cfg.outputSize}`);
    this.name = cfg.name;
    this.inputSize = cfg.inputSize;
    this.outputSize = cfg.outputSize;
    const rng = new Rng(cfg.seed);
    const sizes = [cfg.inputSize, ...cfg.hidden, cfg.outputSize];
    const hiddenGain = cfg.hiddenGain ?? calculateGain(cfg.activation);
    const outputGain = cfg.outputGain ?? hiddenGain;
    const layers: Layer[] = [];
    const named: NamedVar[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const fanIn = sizes[i];
      const fanOut = sizes[i + 1];
      const isOut = i + 2 === sizes.length;
      const init = initLinear(fanIn, fanOut, cfg.initFn, isOut ? outputGain : hiddenGain, rng);
      const activation = isOut ? (cfg.outputActivation ?? null) : cfg.activation;
      const normKind = isOut && !cfg.normOutput ? null : (cfg.norm ?? null);
      const norm = normKind === null ? null : normKind === 'layer_norm' ? layerNorm(tf, fanOut, { eps: 1e-5, affine: true }) : batchNorm1d(tf, fanOut, { eps: 1e-5, affine: true, momentum: 0.1 });
      const dense = denseLayer(tf, fanIn, fanOut, init, norm === null ? activation : null);
      layers.push({ dense, norm, act: norm === null ? null : activation });
      const at = `${this.name}/l${i}`;
      named.push({ name: `${at}/kernel`, v: dense.kernel, trainable: true }, { name: `${at}/bias`, v: dense.bias, trainable: true });
      if (norm !== null) {
        for (const t of norm.trainable) named.push({ name: `${at}/norm/${t.suffix}`, v: t.v, trainable: true });
        for (const b of norm.buffers) named.push({ name: `${at}/norm/${b.suffix}`, v: b.v, trainable: false });
      }
    }
    this.layers = layers;
    this.vars = new NamedVars(tf, this.name, named);
    this.variables = this.vars.variables;
  }

  /** x: [batch, inputSize] -> [batch, outputSize]. Call inside tf.tidy or a gradient closure. `training` matters only with batch_norm. */
  forward(x: Tensor, training = false): Tensor2D {
    const tf = this.tf;
    let h = x as Tensor2D;
    for (const l of this.layers) {
      h = applyDense(tf, l.dense, h);
      if (l.norm !== null) {
        h = l.norm.apply(h, training);
        if (l.act !== null) h = applyActivation(tf, h, l.act);
      }
    }
    return h;
  }

  /** Logical names of `variables`, in the same order: `${name}/l${i}/kernel|bias` (and `/norm/weight|bias`). */
  variableNames(): string[] {
    return this.vars.variableNames();
  }

  /** Copies of every weight, keyed like `variableNames`. */
  namedWeights(): Record<string, Float32Array> {
    return this.vars.namedWeights();
  }

  /** Target-net replace: this <- other. */
  copyFrom(other: NetModule): void {
    this.vars.copyFrom(other);
  }

  /** Polyak update: this <- coef * other + (1 - coef) * this. */
  polyakFrom(other: NetModule, coef: number): void {
    this.vars.polyakFrom(other, coef);
  }

  /** Weights and running statistics with shapes. */
  getState(): Record<string, TensorData> {
    return this.vars.getState();
  }

  /** Loads tensors saved by `getState` (keys and shapes must match). */
  setState(state: Readonly<Record<string, TensorData>>): void {
    this.vars.setState(state);
  }

  dispose(): void {
    this.vars.dispose();
  }
}
