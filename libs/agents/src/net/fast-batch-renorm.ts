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
 * step covers them. Sums in f64; running statistics updated in f32 as the tfjs layer does.
 */
import type { BatchRenormParams } from './batch-renorm.js';

/** The activation after the norm on the fast path. */
export type BrnActivation = 'linear' | 'relu' | 'tanh';

const f = Math.fround;

export class FastBatchRenorm {
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  /** Training steps taken (a float32 counter in the tfjs layer, exact to 2^24). */
  step = 0;
  /** z (training) or (x - running_mean) / sigma (evaluation), [rows * size], for the backward pass. */
  private readonly z: Float32Array;
  /** Per feature of the last forward: r, d and 1 / sigma_B (training) or r = 1, d = 0, 1 / sigma (evaluation). */
  private readonly r: Float64Array;
  private readonly d: Float64Array;
  private readonly inv: Float64Array;
  /** Per-feature scratch: the batch mean, then sums of squares / of g / of g z. */
  private readonly mu: Float64Array;
  private readonly sumA: Float64Array;
  private readonly sumB: Float64Array;
  /** dL/d(pre-activation) [rows * size]. */
  private readonly g: Float64Array;
  private training = false;
  private out: Float32Array = new Float32Array(0);

  constructor(
    readonly size: number,
    private readonly p: BatchRenormParams,
    private readonly activation: BrnActivation,
    maxBatch: number,
  ) {
    this.runningMean = new Float32Array(size);
    this.runningVar = new Float32Array(size).fill(1);
    this.z = new Float32Array(maxBatch * size);
    this.r = new Float64Array(size);
    this.d = new Float64Array(size);
    this.inv = new Float64Array(size);
    this.mu = new Float64Array(size);
    this.sumA = new Float64Array(size);
    this.sumB = new Float64Array(size);
    this.g = new Float64Array(maxBatch * size);
  }

  /** y = act(weight xhat + bias) of `x` [rows * size] into `out`; `affine` is [weight | bias]. */
  forward(x: Float32Array, rows: number, training: boolean, affine: Float32Array, out: Float32Array): void {
    const D = this.size;
    const { r, d, inv, z } = this;
    this.training = training;
    this.out = out;
    if (training) this.batchStatistics(x, rows);
    else {
      for (let j = 0; j < D; j++) {
        inv[j] = 1 / Math.sqrt(this.runningVar[j] + this.p.eps);
        r[j] = 1;
        d[j] = 0;
      }
    }
    const relu = this.activation === 'relu';
    const tanh = this.activation === 'tanh';
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < D; j++) {
        const k = i * D + j;
        const zk = training ? (x[k] - this.mu[j]) * inv[j] : (x[k] - this.runningMean[j]) * inv[j];
        z[k] = zk;
        const y = affine[j] * (r[j] * zk + d[j]) + affine[D + j];
        out[k] = relu ? (y > 0 ? y : 0) : tanh ? Math.tanh(y) : y;
      }
    }
  }

  /** The batch mean into `mu`, 1 / sigma_B, r and d; then the running statistics and the step move. */
  private batchStatistics(x: Float32Array, rows: number): void {
    const D = this.size;
    const { p, r, d, inv, mu } = this;
    const sq = this.sumA.fill(0);
    mu.fill(0);
    for (let i = 0; i < rows; i++) for (let j = 0; j < D; j++) mu[j] += x[i * D + j];
    for (let j = 0; j < D; j++) mu[j] /= rows;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < D; j++) {
        const c = x[i * D + j] - mu[j];
        sq[j] += c * c;
      }
    }
    const t = Math.min(f(this.step / Math.max(p.warmupSteps, 1)), 1);
    const rMax = f(f(t * (p.rMax - 1)) + 1);
    const dMax = f(t * p.dMax);
    const m = f(p.momentum);
    for (let j = 0; j < D; j++) {
      const variance = sq[j] / rows;
      const sigmaB = Math.sqrt(variance + p.eps);
      const sigma = Math.sqrt(this.runningVar[j] + p.eps);
      inv[j] = 1 / sigmaB;
      r[j] = Math.min(Math.max(sigmaB / sigma, f(1 / rMax)), rMax);
      d[j] = Math.min(Math.max((mu[j] - this.runningMean[j]) / sigma, -dMax), dMax);
      const rm = this.runningMean[j];
      const rv = this.runningVar[j];
      this.runningMean[j] = f(rm + f(f(f(mu[j]) - rm) * m));
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
    const { r, d, inv, z, out, g } = this;
    const sumG = this.sumA.fill(0);
    const sumGz = this.sumB.fill(0);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < D; j++) {
        const k = i * D + j;
        const y = out[k];
        const gk = this.activation === 'relu' ? (y > 0 ? dOut[k] : 0) : this.activation === 'tanh' ? dOut[k] * (1 - y * y) : dOut[k];
        g[k] = gk;
        sumG[j] += gk;
        sumGz[j] += gk * z[k];
      }
    }
    for (let j = 0; j < D; j++) {
      affineGrad[j] = r[j] * sumGz[j] + d[j] * sumG[j];
      affineGrad[D + j] = sumG[j];
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < D; j++) {
        const k = i * D + j;
        const s = affine[j] * r[j] * inv[j];
        dx[k] = this.training ? s * (g[k] - sumG[j] / rows - z[k] * (sumGz[j] / rows)) : s * g[k];
      }
    }
  }
}
