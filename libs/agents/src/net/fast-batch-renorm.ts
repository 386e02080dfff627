/**
 * Batch Renormalization (net/batch-renorm.ts, SLM Lab 5.3's BatchRenorm1d) on plain arrays for the
 * fast CPU path, with its backward pass. Forward as there: training mode normalises by the
 * minibatch's mean mu and biased variance (sigma_B = sqrt(var + eps)), corrects towards the running
 * statistics by r and d clipped to the warm-up ramp, then moves the running statistics by
 * `momentum` and counts the step; evaluation mode uses the running statistics. An activation
 * (relu, tanh or none) may follow, fused here. With z = (x - mu) / sigma_B and g = dL/dy through
 * the activation, r and d being constants (stop-gradient, as in the paper):
 *   dL/dweight = sum_rows g (r z + d),  dL/dbias = sum_rows g,
 *   dL/dx = (w r / sigma_B) (g - mean(g) - z mean(g z))     (training; the batch-norm backward)
 *   dL/dx = g w / sigma                                     (evaluation).
 * The weight and bias live in the caller's buffer (a FastMlp's extra parameters), so one optimizer
 * step covers them. The passes over the batch run in WebAssembly SIMD (column sums, normalise with
 * the affine map and the activation, the input gradient) on the layer's own kernel instance, the
 * batch copied in and out; the per-feature scalars (r, d, sigma, the running statistics, in f32 as
 * the tfjs layer updates them) in JS.
 */
import { FAST_ACTIVATIONS, FastArena, type FastKernels } from '@gymlab/backends';
import type { BatchRenormParams } from './batch-renorm.js';

/** The activation after the norm on the fast path. */
export type BrnActivation = 'linear' | 'relu' | 'tanh';

const f = Math.fround;

export class FastBatchRenorm {
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  /** Training steps taken (a float32 counter in the tfjs layer, exact to 2^24). */
  step = 0;
  private readonly arena: FastArena;
  private readonly act: number;
  /** Byte offsets of the batch buffers [maxBatch * size]: x, z (normalised), y (output), g (dL/dy, then through the activation), dx. */
  private readonly at: { readonly x: number; readonly z: number; readonly y: number; readonly g: number; readonly dx: number };
  /** Per-feature buffers [size] in the arena (offsets, and views): f32 mean, 1 / sigma, scale, shift; f64 sums and mean. */
  private readonly col: { readonly mu: number; readonly inv: number; readonly scale: number; readonly shift: number; readonly sumA: number; readonly sumB: number; readonly mu64: number };
  private readonly v: { readonly mu: Float32Array; readonly inv: Float32Array; readonly scale: Float32Array; readonly shift: Float32Array; readonly sumA: Float64Array; readonly sumB: Float64Array; readonly mu64: Float64Array };
  /** r and d of the last forward (1 and 0 in evaluation). */
  private readonly r: Float64Array;
  private readonly d: Float64Array;
  private training = false;

  constructor(
    kernels: FastKernels,
    readonly size: number,
    private readonly p: BatchRenormParams,
    activation: BrnActivation,
    readonly maxBatch: number,
  ) {
    this.runningMean = new Float32Array(size);
    this.runningVar = new Float32Array(size).fill(1);
    this.r = new Float64Array(size);
    this.d = new Float64Array(size);
    this.act = FAST_ACTIVATIONS.indexOf(activation);
    const arena = new FastArena(kernels);
    this.arena = arena;
    const batch = (): number => arena.alloc(maxBatch * size);
    this.at = { x: batch(), z: batch(), y: batch(), g: batch(), dx: batch() };
    const column = (): number => arena.alloc(size);
    const column64 = (): number => arena.alloc(2 * size);
    this.col = { mu: column(), inv: column(), scale: column(), shift: column(), sumA: column64(), sumB: column64(), mu64: column64() };
    arena.commit();
    const c = this.col;
    const view = (at: number): Float32Array => arena.f32(at, size);
    const view64 = (at: number): Float64Array => new Float64Array(arena.memory.buffer, at, size);
    this.v = { mu: view(c.mu), inv: view(c.inv), scale: view(c.scale), shift: view(c.shift), sumA: view64(c.sumA), sumB: view64(c.sumB), mu64: view64(c.mu64) };
  }

  /** y = act(weight xhat + bias) of `x` [rows * size] into `out`; `affine` is [weight | bias]. */
  forward(x: Float32Array, rows: number, training: boolean, affine: Float32Array, out: Float32Array): void {
    const D = this.size;
    const n = rows * D;
    const { r, d, v, col, at } = this;
    const k = this.arena.k;
    this.training = training;
    this.arena.f32(at.x, n).set(x.subarray(0, n));
    if (training) this.batchStatistics(rows);
    else {
      for (let j = 0; j < D; j++) {
        v.inv[j] = 1 / Math.sqrt(this.runningVar[j] + this.p.eps);
        v.mu[j] = this.runningMean[j];
        r[j] = 1;
        d[j] = 0;
      }
    }
    // z = (x - mean) / sigma; y = act(scale z + shift), scale = weight r, shift = weight d + bias
    for (let j = 0; j < D; j++) {
      v.scale[j] = affine[j] * r[j];
      v.shift[j] = affine[j] * d[j] + affine[D + j];
    }
    k.normalizeAffine(at.x, col.mu, col.inv, col.scale, col.shift, at.z, at.y, rows, D, this.act);
    out.set(this.arena.f32(at.y, n));
  }

  /** The batch mean, 1 / sigma_B, r and d; then the running statistics and the step move. */
  private batchStatistics(rows: number): void {
    const D = this.size;
    const { p, r, d, v, col, at } = this;
    const k = this.arena.k;
    k.columnSum64(at.x, col.mu64, rows, D);
    for (let j = 0; j < D; j++) v.mu[j] = v.mu64[j] /= rows;
    k.columnDot64(at.x, at.x, col.mu64, col.sumA, rows, D);
    const t = Math.min(f(this.step / Math.max(p.warmupSteps, 1)), 1);
    const rMax = f(f(t * (p.rMax - 1)) + 1);
    const dMax = f(t * p.dMax);
    const m = f(p.momentum);
    for (let j = 0; j < D; j++) {
      const variance = v.sumA[j] / rows;
      const sigmaB = Math.sqrt(variance + p.eps);
      const sigma = Math.sqrt(this.runningVar[j] + p.eps);
      v.inv[j] = 1 / sigmaB;
      r[j] = Math.min(Math.max(sigmaB / sigma, f(1 / rMax)), rMax);
      d[j] = Math.min(Math.max((v.mu64[j] - this.runningMean[j]) / sigma, -dMax), dMax);
      const rm = this.runningMean[j];
      const rv = this.runningVar[j];
      this.runningMean[j] = f(rm + f(f(f(v.mu64[j]) - rm) * m));
      this.runningVar[j] = f(rv + f(f(f(variance) - rv) * m));
    }
    this.step = f(this.step + 1);
  }

  /**
   * From dL/dy `dOut` [rows * size] of the last forward: dL/d[weight | bias] into `affineGrad`
   * (overwritten) and dL/dx into `dx`.
   */
  backward(dOut: Float32Array, rows: number, affine: Float32Array, affineGrad: Float32Array, dx: Float32Array): void {
    const D = this.size;
    const n = rows * D;
    const { r, d, v, col, at } = this;
    const k = this.arena.k;
    this.arena.f32(at.g, n).set(dOut.subarray(0, n));
    k.activationBackward(at.g, at.y, n, this.act);
    k.columnSum64(at.g, col.sumA, rows, D);
    k.columnDot64(at.g, at.z, 0, col.sumB, rows, D);
    // dx = s (g - mean(g) - z mean(g z)) in training, s g in evaluation; s = weight r / sigma
    for (let j = 0; j < D; j++) {
      const sumG = v.sumA[j];
      const sumGz = v.sumB[j];
      affineGrad[j] = r[j] * sumGz + d[j] * sumG;
      affineGrad[D + j] = sumG;
      v.scale[j] = affine[j] * r[j] * v.inv[j];
      v.mu[j] = this.training ? sumG / rows : 0; // mean(g) and mean(g z), f32 for the kernel
      v.inv[j] = this.training ? sumGz / rows : 0;
    }
    k.normalizeInputGrad(at.g, at.z, col.scale, col.mu, col.inv, at.dx, rows, D);
    dx.set(this.arena.f32(at.dx, n));
  }
}
