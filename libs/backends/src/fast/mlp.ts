/**
 * A multi-layer perceptron on the fast CPU path: one flat Float32Array per net holding
 * parameters, gradients and two optimizer slots ([params | grads | m | v], each P long), layers as
 * views into it, and every activation buffer preallocated for `maxBatch` rows. A forward pass is
 * one call into WebAssembly (fused matmul + bias + activation per layer), a backward pass another.
 */
import { FAST_ACTIVATIONS, FastArena, type FastActivation, type FastKernels } from './kernels.js';

/** Initial weights of one layer in torch's layout: weight [out * in] (row = output unit), bias [out]. */
export interface FastLayerInit {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

export interface FastLayerSpec {
  readonly size: number;
  readonly activation: FastActivation;
}

export interface FastMlpConfig {
  readonly inputSize: number;
  /** Every layer after the input, the output layer last. */
  readonly layers: readonly FastLayerSpec[];
  /** Rows the buffers hold; forward/backward take any batch from 1 to this. */
  readonly maxBatch: number;
  /** Initial weights of layer `layer` (torch layout), e.g. torch's nn.Linear default from a seeded RNG. */
  readonly init: (layer: number, fanIn: number, fanOut: number) => FastLayerInit;
  /**
   * Free parameters after the layers' (e.g. a Gaussian policy's state-independent log-std; default
   * 0): part of params, grads and the optimizer slots, so one optimizer step and `clipGradNorm`
   * cover them; no pass touches them, the caller sets them and writes their gradients.
   */
  readonly extraParams?: number;
}

/** A bad FastMlp configuration; one line. */
export class FastConfigError extends Error {
  override readonly name = 'FastConfigError';
}

/** One layer's parameters and gradients as views: kernel [in, out] row-major, bias [out]. */
export interface FastLayerViews {
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly kernelGrad: Float32Array;
  readonly biasGrad: Float32Array;
}

const FIELDS = 12;

export class FastMlp {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly maxBatch: number;
  /** Number of parameters P. */
  readonly size: number;
  /** [params | grads | m | v], 4P values: the whole trainable state in one buffer. */
  readonly state: Float32Array;
  readonly params: Float32Array;
  readonly grads: Float32Array;
  /** The optimizer's two slots (Adam's m and v), P each. */
  readonly slots: readonly [Float32Array, Float32Array];
  readonly layers: readonly FastLayerViews[];
  /** The `extraParams` free parameters and their gradients (empty views when there are none). */
  readonly extra: Float32Array;
  readonly extraGrad: Float32Array;
  /** Write the batch here, row-major [batch, inputSize]. */
  readonly input: Float32Array;
  /** The last forward's output [batch, outputSize]. */
  readonly output: Float32Array;
  /** Write dL/d(output) here before `backward`; the pass overwrites it. */
  readonly outputGrad: Float32Array;
  /** dL/d(input), written by `backward(batch, true)`. */
  readonly inputGrad: Float32Array;
  /** The kernel instance and memory this net lives in (shared with its optimizer). */
  readonly arena: FastArena;
  private readonly statePtr: number;
  private readonly table: number;

  constructor(kernels: FastKernels, config: FastMlpConfig) {
    const { inputSize, layers, maxBatch } = config;
    checkConfig(config);
    const arena = new FastArena(kernels);
    this.arena = arena;
    this.inputSize = inputSize;
    this.outputSize = layers[layers.length - 1].size;
    this.maxBatch = maxBatch;
    const widths = [inputSize, ...layers.map((l) => l.size)];
    let size = 0;
    for (let l = 0; l < layers.length; l++) size += widths[l] * widths[l + 1] + widths[l + 1];
    const layerSize = size;
    size += config.extraParams ?? 0;
    this.size = size;

    // Layout: table, state [4P], then per width: activations and their gradients; W^T scratch.
    this.table = arena.alloc(FIELDS * layers.length);
    this.statePtr = arena.alloc(4 * size);
    const act = widths.map((w) => arena.alloc(maxBatch * w));
    const grad = widths.map((w) => arena.alloc(maxBatch * w));
    const wt = arena.alloc(Math.max(...layers.map((_, l) => widths[l] * widths[l + 1])));
    arena.commit();

    this.state = arena.f32(this.statePtr, 4 * size);
    this.params = this.state.subarray(0, size);
    this.grads = this.state.subarray(size, 2 * size);
    this.slots = [this.state.subarray(2 * size, 3 * size), this.state.subarray(3 * size, 4 * size)];
    const table = arena.i32(this.table, FIELDS * layers.length);
    const views: FastLayerViews[] = [];
    let at = 0;
    for (let l = 0; l < layers.length; l++) {
      const nin = widths[l];
      const nout = widths[l + 1];
      const wPtr = this.statePtr + 4 * at;
      const bPtr = wPtr + 4 * nin * nout;
      const row = [nin, nout, FAST_ACTIVATIONS.indexOf(layers[l].activation), wPtr, bPtr, wPtr + 4 * size, bPtr + 4 * size, act[l], act[l + 1], grad[l], grad[l + 1], wt];
      table.set(row, FIELDS * l);
      views.push({
        kernel: this.params.subarray(at, at + nin * nout),
        bias: this.params.subarray(at + nin * nout, at + nin * nout + nout),
        kernelGrad: this.grads.subarray(at, at + nin * nout),
        biasGrad: this.grads.subarray(at + nin * nout, at + nin * nout + nout),
      });
      at += nin * nout + nout;
    }
    this.layers = views;
    this.extra = this.params.subarray(layerSize, size);
    this.extraGrad = this.grads.subarray(layerSize, size);
    for (let l = 0; l < layers.length; l++) this.setLayer(l, config.init(l, widths[l], widths[l + 1]));
    const last = widths.length - 1;
    this.input = arena.f32(act[0], maxBatch * inputSize);
    this.output = arena.f32(act[last], maxBatch * this.outputSize);
    this.outputGrad = arena.f32(grad[last], maxBatch * this.outputSize);
    this.inputGrad = arena.f32(grad[0], maxBatch * inputSize);
  }

  /** Sets layer `l` from torch-layout weights [out * in] and bias [out]. */
  setLayer(l: number, init: FastLayerInit): void {
    const { kernel, bias } = this.layers[l];
    const nout = bias.length;
    const nin = kernel.length / nout;
    if (init.weight.length !== nin * nout || init.bias.length !== nout) {
      throw new FastConfigError(`layer ${l} init gives ${init.weight.length} weights and ${init.bias.length} biases; expected ${nin * nout} and ${nout}`);
    }
    for (let o = 0; o < nout; o++) for (let j = 0; j < nin; j++) kernel[j * nout + o] = init.weight[o * nin + j];
    bias.set(init.bias);
  }

  /** output[0 .. batch*outputSize] = net(input[0 .. batch*inputSize]); returns that view. */
  forward(batch: number): Float32Array {
    this.checkBatch(batch);
    this.arena.k.mlpForward(this.table, this.layers.length, batch);
    return this.output.subarray(0, batch * this.outputSize);
  }

  /**
   * Gradients of every parameter (overwriting `grads`) from dL/d(output) in `outputGrad`, for the
   * batch of the last `forward`; with `inputGrad`, also dL/d(input) into `inputGrad`. With
   * `weightGrads` false only the input gradient is computed (a net differentiated for another's
   * sake, as SAC's critics in its policy step): `grads` keep what they held.
   */
  backward(batch: number, inputGrad = false, weightGrads = true): void {
    this.checkBatch(batch);
    this.arena.k.mlpBackward(this.table, this.layers.length, batch, inputGrad ? 1 : 0, weightGrads ? 1 : 0);
  }

  /** Global L2 norm of the gradients. */
  gradNorm(): number {
    return Math.sqrt(this.arena.k.sumSquares(this.statePtr + 4 * this.size, this.size));
  }

  /**
   * torch.nn.utils.clip_grad_norm_: scales the gradients by min(1, maxNorm / (norm + 1e-6)) and
   * returns the norm before scaling.
   */
  clipGradNorm(maxNorm: number): number {
    const norm = this.gradNorm();
    const coef = maxNorm / (norm + 1e-6);
    if (coef < 1) this.arena.k.scale(this.statePtr + 4 * this.size, this.size, coef);
    return norm;
  }

  /** Byte offset of the state buffer in the arena's memory (for the optimizer). */
  get stateOffset(): number {
    return this.statePtr;
  }

  private checkBatch(batch: number): void {
    if (!Number.isInteger(batch) || batch < 1 || batch > this.maxBatch) throw new FastConfigError(`batch ${batch} is outside 1..${this.maxBatch} (the net's maxBatch)`);
  }
}

function checkConfig({ inputSize, layers, maxBatch, extraParams }: FastMlpConfig): void {
  const positive = (v: number): boolean => Number.isInteger(v) && v >= 1;
  if (extraParams !== undefined && !(Number.isInteger(extraParams) && extraParams >= 0)) throw new FastConfigError(`extraParams must be an integer >= 0, got ${extraParams}`);
  if (!positive(inputSize)) throw new FastConfigError(`inputSize must be a positive integer, got ${inputSize}`);
  if (!positive(maxBatch)) throw new FastConfigError(`maxBatch must be a positive integer, got ${maxBatch}`);
  if (layers.length === 0) throw new FastConfigError('a FastMlp needs at least one layer');
  layers.forEach((l, i) => {
    if (!positive(l.size)) throw new FastConfigError(`layers[${i}].size must be a positive integer, got ${l.size}`);
    if (!FAST_ACTIVATIONS.includes(l.activation)) {
      throw new FastConfigError(`layers[${i}].activation '${String(l.activation)}' is not on the fast path; use one of ${FAST_ACTIVATIONS.join(', ')}`);
    }
  });
}
