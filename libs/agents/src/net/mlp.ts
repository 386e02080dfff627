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
import { calculateGain, initLinear } from './init.js';
import type { TensorData } from './types.js';

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
}

export type { TensorData } from './types.js';

interface Layer {
  readonly kernel: Variable; // [in, out]
  readonly bias: Variable; // [out]
  readonly activation: Activation | null;
  /** x -> act(x W + b), with a hand-written gradient (see `denseOp`). */
  readonly op: (x: Tensor2D, w: Tensor, b: Tensor) => Tensor2D;
  /** Activation applied outside `op` (those whose derivative is not a function of the output). */
  readonly after: Activation | null;
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

export class Mlp {
  readonly variables: readonly Variable[];
  readonly inputSize: number;
  readonly outputSize: number;
  readonly name: string;
  private readonly layers: readonly Layer[];

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
    for (let i = 0; i + 1 < sizes.length; i++) {
      const fanIn = sizes[i];
      const fanOut = sizes[i + 1];
      const isOut = i + 2 === sizes.length;
      const init = initLinear(fanIn, fanOut, cfg.initFn, isOut ? outputGain : hiddenGain, rng);
      // torch layout [out, in] -> kernel [in, out]
      const k = new Float32Array(fanIn * fanOut);
      for (let o = 0; o < fanOut; o++) for (let j = 0; j < fanIn; j++) k[j * fanOut + o] = init.weight[o * fanIn + j];
      const activation = isOut ? (cfg.outputActivation ?? null) : cfg.activation;
      const inside = activation === null || activationGradFromOutput.supports(activation);
      layers.push({
        kernel: tf.tidy(() => tf.variable(tf.tensor2d(k, [fanIn, fanOut]), true)),
        bias: tf.tidy(() => tf.variable(tf.tensor1d(init.bias), true)),
        activation,
        op: denseOp(tf, inside ? activation : null),
        after: inside ? null : activation,
      });
    }
    this.layers = layers;
    this.variables = layers.flatMap((l) => [l.kernel, l.bias]);
  }

  /** x: [batch, inputSize] -> [batch, outputSize]. Call inside tf.tidy or a gradient closure. */
  forward(x: Tensor2D): Tensor2D {
    const tf = this.tf;
    let h = x;
    for (const l of this.layers) {
      h = l.op(h, l.kernel, l.bias);
      if (l.after !== null) h = applyActivation(tf, h, l.after);
    }
    return h;
  }

  /** Logical names of `variables`, in the same order. */
  variableNames(): string[] {
    return this.layers.flatMap((_, i) => [`${this.name}/l${i}/kernel`, `${this.name}/l${i}/bias`]);
  }

  /** Copies of every weight, keyed `${name}/l${i}/kernel|bias`. */
  namedWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    const names = this.variableNames();
    this.variables.forEach((v, i) => {
      out[names[i]] = v.dataSync() as Float32Array;
    });
    return out;
  }

  /** Target-net replace: this <- other. */
  copyFrom(other: Mlp): void {
    this.checkSameShape(other);
    this.variables.forEach((v, i) => v.assign(other.variables[i]));
  }

  /** Polyak update: this <- coef * other + (1 - coef) * this. */
  polyakFrom(other: Mlp, coef: number): void {
    this.checkSameShape(other);
    const tf = this.tf;
    tf.tidy(() => {
      this.variables.forEach((v, i) => v.assign(tf.add(tf.mul(other.variables[i], coef), tf.mul(v, 1 - coef))));
    });
  }

  /** Weights with shapes, keyed like `namedWeights`. */
  getState(): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    const names = this.variableNames();
    this.variables.forEach((v, i) => {
      out[names[i]] = { shape: v.shape.slice(), data: v.dataSync() as Float32Array };
    });
    return out;
  }

  /** Loads weights saved by `getState` (keys and shapes must match). */
  setState(state: Readonly<Record<string, TensorData>>): void {
    const tf = this.tf;
    const names = this.variableNames();
    this.variables.forEach((v, i) => {
      const t = state[names[i]];
      if (t === undefined) throw new Error(`state has no tensor '${names[i]}'`);
      if (t.shape.length !== v.shape.length || t.shape.some((d, j) => d !== v.shape[j])) {
        throw new Error(`state tensor '${names[i]}' has shape [${t.shape.join(',')}], expected [${v.shape.join(',')}]`);
      }
      tf.tidy(() => v.assign(tf.tensor(t.data, v.shape)));
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }

  private checkSameShape(other: Mlp): void {
    const same =
      other.variables.length === this.variables.length &&
      other.variables.every((v, i) => (v as Tensor).shape.join(',') === this.variables[i].shape.join(','));
    if (!same) throw new Error(`Mlp ${this.name}: cannot copy from ${other.name}, shapes differ`);
  }
}
